from c360.cli import run

run()
