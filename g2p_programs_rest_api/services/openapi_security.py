"""Security schemes in an OpenAPI document (pure: no Odoo, no FastAPI).

The registry app's authentication replaces upstream's dependency through
``dependency_overrides``, which FastAPI never shows in the document it
generates: the schemes and each operation's requirements are added here, so
that Swagger UI's *Authorize* button offers them and generated clients send
credentials.
"""

HTTP_METHODS = frozenset({"get", "put", "post", "delete", "options", "head", "patch"})


def secure(schema, schemes, requirements_of):
    """Add ``schemes`` (name -> Security Scheme Object) to ``schema``'s
    components and, to every operation, ``requirements_of(method)`` (a list
    of Security Requirement Objects: any one of them is enough). Returns
    ``schema``, changed in place."""
    components = schema.setdefault("components", {})
    components["securitySchemes"] = {
        **components.get("securitySchemes", {}),
        **schemes,
    }
    for path_item in schema.get("paths", {}).values():
        for method, operation in path_item.items():
            if method in HTTP_METHODS:
                operation["security"] = requirements_of(method.upper())
    return schema
