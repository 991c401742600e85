"""Find, link and check AWS service mentions in Markdown text.

Pure functions over Markdown text (no MkDocs import). One ``ServiceMatcher`` is built
per build from the glossary catalog and then used on every note.

How a mention is found
----------------------
* **One pass for all services.** A single Aho–Corasick automaton (pyahocorasick) holds
  every spelling of every service (name, aliases, former names, misspellings), keyed in
  lower case. One scan of the lower-cased text (line breaks, tabs and no-break spaces
  read as spaces, so a spelling may wrap) yields every candidate; linear filters
  then keep whole words only (the characters either side are not letters, digits or
  ``_``), and overlaps are resolved **longest match first, leftmost first among equals**:
  "Amazon Kinesis Data Firehose" is one mention, not "Kinesis" + "Firehose", and
  "SageMaker Neo" is Neo, not SageMaker.
* **Case rule.** A spelling with a "brand word" (a word with a capital after its first
  letter: SageMaker, DynamoDB, CloudWatch, S3, EMR, AWS Glue) matches in any
  capitalisation ("Sagemaker" is SageMaker, not a misspelling). Any other spelling of
  several words (Ground Truth, Data Pipeline, Amazon Comprehend) matches in any
  capitalisation *except all lower case* (unless the catalog itself writes it in lower
  case, like "multi-model endpoints"), so "ground truth" or "data pipeline" in a sentence
  is never a mention; a single plain word (Glue, Lambda, Polly, Comprehend) matches only
  exactly as the catalog writes it, so "glue code" and "comprehend" never are.
* **Context rule** for a service's ``needs_context`` words (ordinary English such as
  Glue, Lambda, Lex, Neo, Forecast, Translate, Ground Truth): a match written all in
  lower case never counts; otherwise a match counts only if (a) it directly follows
  "AWS ", "Amazon " or "SageMaker " (with AWS/Amazon, the mention then includes that
  word), or (b) an unambiguous mention of the same service (a spelling not in
  ``needs_context``) comes earlier in the same text, or (c) it sits in a list of
  services: the mention before or after it, of another service, lies within
  ``LIST_WINDOW`` characters with no sentence end or blank line between them ("such as
  Poly, Lex, Comprehend, and Transcribe"), or (d) its service's parent (a service whose
  name or spelling the service's name extends: "Amazon SageMaker" for "Amazon SageMaker
  Ground Truth", "Amazon Rekognition" for "… Custom Labels") is mentioned earlier in the
  same paragraph or list block (no blank line between), as in a sub-bullet "Ground Truth
  for data labeling" under "**Amazon SageMaker:**".
  Never, whatever (b)–(d) say, (e) right after a capitalised word that is not a sentence's
  opening word ("Data Pipelines", "Inference Pipelines" are other names, not SageMaker
  Pipelines), (f) for a SageMaker feature or algorithm, in a sentence (or list item) about
  another ML library (Spark MLlib, scikit-learn), nor (g) for a SageMaker algorithm
  (K-Means, LDA, PCA: every library has them) without "SageMaker", "AWS" or "Amazon", or
  an unambiguous mention of some service, in its sentence.
* **Skipped regions** (never found, never linked): YAML front matter at the very top,
  fenced (```/~~~) and indented code blocks, inline code, whole links and images
  (``[label](url "title")``, ``![alt](src)``, ``[label][ref]``, ``[label][]``, ``[label]``
  when ``[label]:`` is defined) and link reference definitions, autolinks ``<https://…>``,
  bare URLs (``https://…``, ``www.…``) and e-mail addresses, raw HTML tags with their
  attributes (and the content of inline ``<a>``, ``<code>``, ``<kbd>``, ``<pre>`` …
  elements, where a link would nest or show as code), HTML comments and HTML blocks, headings (ATX and setext), and the title
  lines of admonitions/content tabs (``!!! note "…"``, ``??? …``, ``=== "…"``). Tables,
  list items and block quotes are prose.

``suspects`` reports, in prose only:

* (neither kind inside a ``NOT_SERVICES`` phrase: "Amazon Web Services" is no near miss of "Amazon EBS")
* neither kind inside a ``NOT_SERVICES`` phrase ("Amazon Web Services" is no near miss of
  "Amazon EBS");
* "unknown": "Amazon X …"/"AWS X …" (one to four capitalised words, up to punctuation, a
  lower-case word, a line end or a known mention) whose X is not part of a mention and
  which does not start with a ``NOT_SERVICES`` phrase, e.g. "Amazon Bedrock";
* "misspelling": one to four capitalised words, one space apart, not part of a mention,
  within one edit (Damerau–Levenshtein) of a catalog spelling, or with a difflib ratio
  ≥ 0.85 for five letters or more, compared case-insensitively; the spelling "Amazon X"/
  "AWS X" is also tried as "X". Not checked: single words shorter than four letters or
  all capitals (acronyms), runs made only of ``COMMON_WORDS``, a case variant of a
  spelling, and an inflection ("Translates", "Pipeline" for "Pipelines"). The
  suggestion is the canonical name of the service whose spelling is nearest.
"""
from __future__ import annotations

from .matcher import LIST_WINDOW, ServiceMatcher
from .prose import Found, Prose, prose_of
from .suspects import COMMON_WORDS, NOT_SERVICES, Suspect

__all__ = [
    "Found",
    "Suspect",
    "ServiceMatcher",
    "NOT_SERVICES",
    "COMMON_WORDS",
    "LIST_WINDOW",
    "Prose",
    "prose_of",
]
