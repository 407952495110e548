"""Turn raw articles (.txt copied from a web page or Word, .docx) into Markdown with front matter.

Extract, never invent: every field comes from a line of the source; a required field that cannot be
found is left out and the article becomes a draft, with the report telling the editor what to fill in.
Nothing is ever overwritten: an existing article stops the import of that file, an existing image
name is skipped for the next free one.

The modules, in the order an import runs:
  blocks    a source file as blocks of plain text and Markdown (hidden characters dropped, markup escaped)
  word      .docx through mammoth: paragraphs, headings, lists, tables, pictures
  lines     what a line is: a sentence, the credit of a source, a person's name
  dateline  the title's neighbours and the date: a dateline near the top, else a clear date in the lead
  units     the units the text names (the registry's names, aliases, unaccented spellings, unknown names)
  author    the closing lines: what a web page adds is removed, the author and their office are found
  captions  photo captions marked, or given to the Word pictures they follow
  article   one source read whole (its terms of office come from terms.find_terms)
  render    the Markdown file and the report for the editor
  files     which files to import, where each article and its pictures go, the run over them all
"""

from ..errors import ImportFailure
from .article import SOURCE_TYPES, Article, read_article
from .files import expand_sources, import_file, run
from .render import render, report

__all__ = ["SOURCE_TYPES", "Article", "ImportFailure", "expand_sources", "import_file", "read_article", "render",
           "report", "run"]
