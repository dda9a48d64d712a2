from . import extendable_registry, registrant_vals, search
