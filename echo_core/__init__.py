"""Echo Alpha core: schema, lifecycle rules, generation, queries and services."""
