"""Graph model: the store interface, its engines and the repository functions holding the Cypher."""
