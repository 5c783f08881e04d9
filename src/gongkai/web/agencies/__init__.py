"""The agency tree, who works where in which role, and the one permission function family."""
