from .baseline import baseline_router
