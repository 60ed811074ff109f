package library

import (
	"archive/zip"
	"bytes"
	"strings"
	"testing"
)

func TestDetectAcceptsDocumentsAndRefusesTheRest(t *testing.T) {
	var archive bytes.Buffer
	zw := zip.NewWriter(&archive)
	w, _ := zw.Create("payload.exe")
	_, _ = w.Write([]byte("MZ"))
	_ = zw.Close()
	var docx bytes.Buffer
	dw := zip.NewWriter(&docx)
	for _, name := range []string{"[Content_Types].xml", "word/document.xml"} {
		w, _ := dw.Create(name)
		_, _ = w.Write([]byte("<xml/>"))
	}
	_ = dw.Close()
	pe := make([]byte, 512)
	copy(pe, "MZ")
	pe[0x3c] = 0x80
	copy(pe[0x80:], "PE\x00\x00")
	cases := []struct {
		name    string
		content []byte
		want    string // "" means refused
	}{
		{"pdf", []byte("%PDF-1.7\n%%EOF\n"), "application/pdf"},
		{"text", []byte("Минулого тижня ми провели навчання.\n"), "text/plain"},
		{"png", []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), "image/png"},
		{"word document", docx.Bytes(), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
		{"zip archive", archive.Bytes(), ""},
		{"windows executable", pe, ""},
		{"shell script", []byte("#!/bin/sh\nrm -rf /\n"), ""},
		{"html", []byte("<html><script>alert(1)</script></html>"), ""},
	}
	for _, c := range cases {
		got, err := detect(bytes.NewReader(c.content))
		if got != c.want || (c.want == "") != (err != nil) {
			t.Errorf("%s: detected %q, %v; want %q", c.name, got, err, c.want)
		}
		if err != nil && !strings.Contains(err.Error(), "not accepted") {
			t.Errorf("%s: %v", c.name, err)
		}
	}
}

func TestDigestRefusesMoreThanTheLimit(t *testing.T) {
	if _, n, err := digest(strings.NewReader("hello"), 5); err != nil || n != 5 {
		t.Fatalf("5 bytes at a limit of 5: %d %v", n, err)
	}
	if _, _, err := digest(strings.NewReader("hello!"), 5); err == nil {
		t.Fatal("6 bytes at a limit of 5 accepted")
	}
}
