"""What every public API view shares: HTTP caching, errors, content negotiation, throttling, schema.

The apps' viewsets (`orgs/api`, `taxonomy/api`, `principles/api`) build on `base.PublicAPIMixin`;
`ethicalmap/api_router.py` registers them under `/api/v1/`.
"""
