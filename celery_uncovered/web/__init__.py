"""The HTTP plumbing the apps' views stand on: middleware, methods, negotiation, inputs, errors."""
