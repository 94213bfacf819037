"""Moving records out of the app: File > Export."""
