from . import group_kind, group_membership, id_type, phone_number, reg_id, res_partner
