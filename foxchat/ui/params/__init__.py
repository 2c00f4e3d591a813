"""Parts of the parameter sidebar: number rows, stop chips, JSON editors, sections.

Each part is a plain widget that shows values and emits ``changed`` when the
user edits it; :mod:`foxchat.ui.params.parameters_panel` puts them together.
"""
