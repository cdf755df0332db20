package render

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// formatDateFns formats t with date-fns format tokens (yyyy-MM-dd,
// HH:mm:ss.SSSxxx, 'T', do, EEEE...), with the additional week-year (YYYY)
// and day-of-year (D, DD) tokens Mockoon turns on. Text in single quotes is
// literal, ” is a quote. An unknown letter is an error, as in date-fns.
func formatDateFns(t time.Time, layout string) string {
	var b strings.Builder
	for i := 0; i < len(layout); {
		c := layout[i]
		if c == '\'' {
			if i+1 < len(layout) && layout[i+1] == '\'' {
				b.WriteByte('\'')
				i += 2
				continue
			}
			end := i + 1
			for end < len(layout) {
				if layout[end] == '\'' {
					if end+1 < len(layout) && layout[end+1] == '\'' {
						b.WriteByte('\'')
						end += 2
						continue
					}
					break
				}
				b.WriteByte(layout[end])
				end++
			}
			i = end + 1
			continue
		}
		if !isLetter(c) {
			b.WriteByte(c)
			i++
			continue
		}
		n := 1
		for i+n < len(layout) && layout[i+n] == c {
			n++
		}
		ordinal := i+n < len(layout) && layout[i+n] == 'o' && strings.IndexByte("yYRuQqMLwIdDEeci", c) >= 0
		tok, ok := dateToken(t, c, n, ordinal)
		if !ok {
			panic(fmt.Errorf("format string contains an unescaped latin alphabet character `%c`", c))
		}
		b.WriteString(tok)
		i += n
		if ordinal {
			i++
		}
	}
	return b.String()
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

func pad(n, width int) string {
	s := strconv.Itoa(abs(n))
	for len(s) < width {
		s = "0" + s
	}
	if n < 0 {
		return "-" + s
	}
	return s
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

func ordinalSuffix(n int) string {
	s := strconv.Itoa(n)
	switch {
	case n%100 >= 11 && n%100 <= 13:
		return s + "th"
	case n%10 == 1:
		return s + "st"
	case n%10 == 2:
		return s + "nd"
	case n%10 == 3:
		return s + "rd"
	}
	return s + "th"
}

// number prints n for a numeric token of width w (or as an ordinal).
func number(n, w int, ordinal bool) string {
	if ordinal {
		return ordinalSuffix(n)
	}
	return pad(n, w)
}

// localWeek is date-fns' local week (weeks start on Sunday, week 1 holds
// January 1st) and its week-numbering year.
func localWeek(t time.Time) (year, week int) {
	y := t.Year()
	start := func(year int) time.Time {
		jan1 := time.Date(year, 1, 1, 0, 0, 0, 0, t.Location())
		return jan1.AddDate(0, 0, -int(jan1.Weekday()))
	}
	day := time.Date(y, t.Month(), t.Day(), 0, 0, 0, 0, t.Location())
	if next := start(y + 1); !day.Before(next) {
		return y + 1, 1
	}
	return y, int(day.Sub(start(y)).Hours()/24)/7 + 1
}

func dateToken(t time.Time, c byte, n int, ord bool) (string, bool) {
	switch c {
	case 'G':
		if n == 4 {
			return "Anno Domini", true
		}
		if n == 5 {
			return "A", true
		}
		return "AD", true
	case 'y', 'u':
		y := t.Year()
		switch {
		case ord:
			return ordinalSuffix(y), true
		case n == 2:
			return pad(y%100, 2), true
		}
		return pad(y, n), true
	case 'Y':
		y, _ := localWeek(t)
		if n == 2 {
			return pad(y%100, 2), true
		}
		return number(y, n, ord), true
	case 'R':
		y, _ := t.ISOWeek()
		return pad(y, n), true
	case 'Q', 'q':
		q := (int(t.Month())-1)/3 + 1
		switch n {
		case 3:
			return "Q" + strconv.Itoa(q), true
		case 4:
			return ordinalSuffix(q) + " quarter", true
		}
		return number(q, n, ord), true
	case 'M', 'L':
		m := int(t.Month())
		switch n {
		case 3:
			return t.Month().String()[:3], true
		case 4:
			return t.Month().String(), true
		case 5:
			return t.Month().String()[:1], true
		}
		return number(m, n, ord), true
	case 'w':
		_, w := localWeek(t)
		return number(w, n, ord), true
	case 'I':
		_, w := t.ISOWeek()
		return number(w, n, ord), true
	case 'd':
		return number(t.Day(), n, ord), true
	case 'D':
		return number(t.YearDay(), n, ord), true
	case 'E', 'e', 'c', 'i':
		wd := t.Weekday()
		if (c != 'E' && n <= 2) || c == 'i' && n <= 2 {
			d := int(wd)
			if c == 'i' {
				if d == 0 {
					d = 7
				}
			} else {
				d++
			}
			return number(d, n, ord), true
		}
		name := wd.String()
		switch {
		case n <= 3:
			return name[:3], true
		case n == 4:
			return name, true
		case n == 5:
			return name[:1], true
		}
		return name[:2], true
	case 'a', 'b', 'B':
		pm := t.Hour() >= 12
		switch {
		case n <= 2:
			if pm {
				return "PM", true
			}
			return "AM", true
		case n == 3:
			if pm {
				return "pm", true
			}
			return "am", true
		case n == 5:
			if pm {
				return "p", true
			}
			return "a", true
		}
		if pm {
			return "p.m.", true
		}
		return "a.m.", true
	case 'h':
		h := t.Hour() % 12
		if h == 0 {
			h = 12
		}
		return number(h, n, ord), true
	case 'H':
		return number(t.Hour(), n, ord), true
	case 'K':
		return number(t.Hour()%12, n, ord), true
	case 'k':
		h := t.Hour()
		if h == 0 {
			h = 24
		}
		return number(h, n, ord), true
	case 'm':
		return number(t.Minute(), n, ord), true
	case 's':
		return number(t.Second(), n, ord), true
	case 'S':
		frac := pad(t.Nanosecond()/1e6, 3) + "000000"
		return frac[:n], true
	case 'X', 'x':
		_, off := t.Zone()
		if off == 0 && c == 'X' {
			return "Z", true
		}
		return zoneOffset(off, n), true
	case 'O', 'z':
		_, off := t.Zone()
		if n == 4 {
			return "GMT" + zoneOffset(off, 3), true
		}
		return "GMT" + shortOffset(off), true
	case 't':
		return strconv.FormatInt(t.Unix(), 10), true
	case 'T':
		return strconv.FormatInt(t.UnixMilli(), 10), true
	case 'P':
		switch n {
		case 1:
			return formatDateFns(t, "MM/dd/yyyy"), true
		case 2:
			return formatDateFns(t, "MMM d, yyyy"), true
		case 3:
			return formatDateFns(t, "MMMM do, yyyy"), true
		}
		return formatDateFns(t, "EEEE, MMMM do, yyyy"), true
	case 'p':
		if n == 1 {
			return formatDateFns(t, "h:mm a"), true
		}
		return formatDateFns(t, "h:mm:ss a"), true
	}
	return "", false
}

// zoneOffset prints an offset in seconds as date-fns' X/x tokens do:
// width 1 "+05" (with ":30" minutes when needed), 2 and 4 "+0530", 3 and 5 "+05:30".
func zoneOffset(off, n int) string {
	sign := "+"
	if off < 0 {
		sign, off = "-", -off
	}
	h, m := off/3600, off%3600/60
	switch n {
	case 1:
		if m == 0 {
			return sign + pad(h, 2)
		}
		return sign + pad(h, 2) + pad(m, 2)
	case 2, 4:
		return sign + pad(h, 2) + pad(m, 2)
	}
	return sign + pad(h, 2) + ":" + pad(m, 2)
}

// shortOffset is "+0", "-8" or "+5:30" (O and z tokens).
func shortOffset(off int) string {
	sign := "+"
	if off < 0 {
		sign, off = "-", -off
	}
	h, m := off/3600, off%3600/60
	if m == 0 {
		return sign + strconv.Itoa(h)
	}
	return sign + strconv.Itoa(h) + ":" + pad(m, 2)
}
