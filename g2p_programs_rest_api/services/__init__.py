from . import errors, etag, membership_vals, references, rules, search
