from . import errors, etag, json_body, membership_vals, references, rules, search
