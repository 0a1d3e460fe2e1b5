"""assistant-gateway: the canonical model, the service, configuration, the app factory and the CLI."""
