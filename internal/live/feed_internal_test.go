package live

import (
	"testing"
)

func TestOnFreshStackRaisesPanicsInTheCaller(t *testing.T) {
	defer func() {
		if r := recover(); r != "boom" {
			t.Fatalf("recovered %v, want boom", r)
		}
	}()
	onFreshStack(func() { panic("boom") })
	t.Fatal("onFreshStack returned after a panic")
}

func TestDecodeReusesOnlyTheSamePayload(t *testing.T) {
	f := &Feed{}
	for _, c := range []struct {
		raw  string
		want event
	}{
		{`{"post":1,"op":"created"}`, event{Post: 1, Op: OpCreated}},
		{`{"post":1,"op":"created"}`, event{Post: 1, Op: OpCreated}},
		{`{"post":2,"op":"created"}`, event{Post: 2, Op: OpCreated}},
		{`{"post":1,"op":"updated"}`, event{Post: 1, Op: OpUpdated}},
		{`{"kind":"REPLY","subject":3}`, event{Kind: "REPLY", Subject: 3}},
	} {
		got, err := f.decode([]byte(c.raw))
		if err != nil || got != c.want {
			t.Errorf("decode(%s) = %+v, %v; want %+v", c.raw, got, err, c.want)
		}
	}
	if _, err := f.decode([]byte(`{"post":`)); err == nil {
		t.Error("decoding a truncated payload succeeded")
	}
}
