"""Renderers of the casebook (事例集): Word (`render.docx`) and a static HTML site (`render.html`),
both laid out from the one view model of `render.model`."""
