"""Day-end feeds (日终批量文件): one declared mapping per feed, and the runner that loads them."""
