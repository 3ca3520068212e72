/* The examples use no mathematics. mkdocs-jupyter would load MathJax from a CDN;
   this local file stands in so that the site never contacts another host. */
