from ninja import NinjaAPI

api = NinjaAPI(
    title="Lianxin API",
    version="1.0.0",
    description="连心 · 人大代表联络站平台接口",
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
)
