from .entitlement import entitlement_router
from .payment_report import payment_report_router
