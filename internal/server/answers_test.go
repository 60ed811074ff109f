package server_test

import (
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/bridgesoftrust/hub/internal/server"
)

// TestConcurrentAnswersKeepTheirOwnData sends queries with different
// answers at the same time: the executor writes each query's data into a
// recycled buffer that the POST transport gives back once the answer is
// written (gqlexec.ResponseBuffer), so a buffer given back while another
// answer still used it would show that answer's bytes in this one.
func TestConcurrentAnswersKeepTheirOwnData(t *testing.T) {
	h := sqliteHub(t, func(c *server.Config) { c.RateLimit.Anonymous = 0 })
	codes := []string{"UA", "PL", "DE", "FR", "LV", "LT", "EE", "SK"}
	kinds := len(codes)
	want := make([]string, kinds)
	for i := range codes {
		createCountry(t, h, codes[i], fmt.Sprintf("country %d %s", i, strings.Repeat("x", 12*i)), i%2 == 0)
	}
	query := func(i int) string {
		return fmt.Sprintf(`{"query":"{ countries(where: {code: \"%s\"}) { edges { node { code name euMember } } } }"}`, codes[i])
	}
	post := func(i int) (string, error) {
		resp, err := http.Post(h.endpoint(), "application/json", strings.NewReader(query(i)))
		if err != nil {
			return "", err
		}
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		return string(body), err
	}
	for i := range kinds {
		body, err := post(i)
		if err != nil || !strings.Contains(body, fmt.Sprintf(`"code":"%s"`, codes[i])) {
			t.Fatalf("query %d answered %.200s, %v", i, body, err)
		}
		want[i] = body
	}
	var wg sync.WaitGroup
	errs := make(chan error, 16*kinds)
	for w := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for n := range 40 {
				i := (w + n) % kinds
				body, err := post(i)
				if err == nil && body != want[i] {
					err = fmt.Errorf("query %d answered %.200s…, want %.200s…", i, body, want[i])
				}
				if err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}
