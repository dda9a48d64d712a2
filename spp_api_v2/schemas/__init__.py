from .oauth import OAuthErrorResponse, TokenResponse
