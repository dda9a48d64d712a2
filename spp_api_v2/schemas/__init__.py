from .oauth import AuthErrorResponse, OAuthErrorResponse, TokenResponse
