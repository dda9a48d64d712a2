from . import errors, json_body, membership_vals, references, rules, search
