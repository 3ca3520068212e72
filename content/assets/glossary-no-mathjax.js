/* mkdocs-jupyter would load MathJax from a CDN; this local file stands in so that the site never
   contacts another host. Formulas in the examples' Markdown are MathML on the entry pages
   (glossary_tools.math, at build time); the separate notebook pages show them as TeX. */
