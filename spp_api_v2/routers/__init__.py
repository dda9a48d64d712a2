from .oauth import oauth_router
