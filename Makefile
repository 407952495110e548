# Thin bootstrap: set up the machine, then hand over to the invoke tasks in tasks.py.
INVOKE := .venv/bin/invoke

.PHONY: setup serve test edit
setup:
	@bash scripts/setup.sh

serve: setup
	@$(INVOKE) build serve

test: setup
	@$(INVOKE) test

edit: setup
	@$(INVOKE) edit
