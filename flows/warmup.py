"""What a flow run loads before its stages do anything, loaded once in the template process that
a long-lived executor forks its flow runs from (flows/serve.py): the flow and Prefect, the
extractor (pdfplumber), the validator and its dictionary (SudachiPy), the renderers (python-docx,
jinja2). A forked run finds them loaded; a run started any other way never imports this module,
so `casebook extract` and a cached run still load only what they use."""

import extract.run  # noqa: F401
import flows.build  # noqa: F401
import render.docx
import render.html
import render.validation  # noqa: F401
import transform.assemble
import transform.export
import transform.validation.run  # noqa: F401
from transform.text import _tokenizer

_tokenizer()  # the dictionary: loaded once, shared (copy-on-write) by every forked run
