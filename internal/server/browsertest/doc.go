// Package browsertest runs the Hub's pages in a real browser: Debian's
// chromium, headless, through the DevTools protocol (chromedp), with every
// request beyond loopback refused. Its tests load the GraphiQL explorer
// offline and run a query in it, and call the API from a page of another
// origin (CORS). They skip, with one line, where chromium is not
// installed (apt-get install chromium; CI installs it).
package browsertest
