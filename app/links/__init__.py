"""Links between customers from the 360 page: reviewing mined links, recording manual ones."""
