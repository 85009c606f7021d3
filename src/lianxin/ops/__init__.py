"""Operations: the production server's start-up checks, readiness (/readyz) and the Prometheus metrics (/metrics).

It sits on the top row with demo and bench: it reads every area's figures (through their selectors) and nothing
imports it. The launcher of `make serve` is scripts/serve.py; the deployment files are in deploy/ (docs/deploy.md).
"""
