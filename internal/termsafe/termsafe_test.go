package termsafe

import (
	"encoding/base64"
	"testing"
	"unicode/utf8"
)

func TestLine(t *testing.T) {
	tests := []struct{ in, want string }{
		{"/v1/customers/cus_123", "/v1/customers/cus_123"},
		{"/v1/customers/\x1b]2;PWNED\x07x", `/v1/customers/\x1b]2;PWNED\x07x`},
		{"/v1/a\nGET /v1/forged 200", `/v1/a\nGET /v1/forged 200`},
		{"a\rb\tc\x7fd", `a\rb\tc\x7fd`},
		{"csi \u009b31m", `csi \x9b31m`},
		{"bidi \u202eevil", `bidi \u202eevil`},
		{"bad \xff utf8", `bad \xff utf8`},
		{"café ✓", "café ✓"},
	}
	for _, tt := range tests {
		if got := Line(tt.in); got != tt.want {
			t.Errorf("Line(%q) = %q; want %q", tt.in, got, tt.want)
		}
	}
}

func TestTextKeepsLines(t *testing.T) {
	in := "{\n\t\"a\": \"\x1b[2J\"\r\n}"
	want := "{\n\t\"a\": \"\\x1b[2J\"\\r\n}"
	if got := Text(in); got != want {
		t.Errorf("Text(%q) = %q; want %q", in, got, want)
	}
}

func TestLineDoesNotAllocateForSafeText(t *testing.T) {
	s := "/v1/payment_intents/pi_123/confirm"
	if n := testing.AllocsPerRun(100, func() { _ = Line(s) }); n != 0 {
		t.Errorf("Line allocated %v times for safe text", n)
	}
}

func TestMaskSecrets(t *testing.T) {
	tests := []struct{ in, want string }{
		{"sk_test_4eC39HqLyjWDarjtT1zdp7dc", "sk_test_…p7dc"},
		{"key=sk_live_abcdefgh1234&x=1", "key=sk_live_…1234&x=1"},
		{"rk_test_abcdef9999 and whsec_secretvalue42", "rk_test_…9999 and whsec_…ue42"},
		{"pk_test_public1234", "pk_test_public1234"},
		{"task_test_abc", "task_test_abc"},
		{"sk_test_", "sk_test_"},
		{"nothing here", "nothing here"},
	}
	for _, tt := range tests {
		if got := MaskSecrets(tt.in); got != tt.want {
			t.Errorf("MaskSecrets(%q) = %q; want %q", tt.in, got, tt.want)
		}
	}
}

func TestHeaderMasksAuthorization(t *testing.T) {
	basic := "Basic " + base64.StdEncoding.EncodeToString([]byte("sk_test_abcdefghij4242:"))
	tests := []struct{ name, value, want string }{
		{"Authorization", "Bearer sk_test_4eC39HqLyjWDarjtT1zdp7dc", "Bearer sk_test_…p7dc"},
		{"authorization", basic, "Basic sk_test_…4242"},
		{"Authorization", "Bearer opaque-token-12345678", "Bearer …5678"},
		{"Authorization", "weird", "…"},
		{"Stripe-Account", "acct_123", "acct_123"},
		{"X-Note", "a\x1b]52;c;ZWNobw==\x07", `a\x1b]52;c;ZWNobw==\x07`},
	}
	for _, tt := range tests {
		if got := Header(tt.name, tt.value); got != tt.want {
			t.Errorf("Header(%q, %q) = %q; want %q", tt.name, tt.value, got, tt.want)
		}
	}
}

func FuzzLine(f *testing.F) {
	f.Add("/v1/customers/\x1b]2;x\x07")
	f.Add("a\u202eb\xffc\u009b")
	f.Fuzz(func(t *testing.T, s string) {
		for _, got := range []string{Line(s), Text(s)} {
			if !utf8.ValidString(got) {
				t.Fatalf("escaped %q is not valid UTF-8: %q", s, got)
			}
			for _, r := range got {
				if r == 0x1b || r == '\r' || r == 0x7f || (r >= 0x80 && r <= 0x9f) || r == 0x202e {
					t.Fatalf("escaped %q still holds %U: %q", s, r, got)
				}
			}
		}
		for _, r := range Line(s) {
			if r == '\n' {
				t.Fatalf("Line(%q) holds a newline", s)
			}
		}
	})
}
