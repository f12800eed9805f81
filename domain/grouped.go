package domain

import "strconv"

// GroupDigits puts a comma between every three digits of the whole part of
// a number already written exactly (by strconv, Minutes.Hours or
// Quantity.String): "1234567" is "1,234,567", "18006.87" is "18,006.87",
// "-1000" is "-1,000". Simplified Chinese and English both group this way,
// so one form serves every language the platform speaks. Only what a person
// reads is grouped; exports keep numbers as numbers.
func GroupDigits(s string) string {
	start := 0
	if start < len(s) && (s[0] == '-' || s[0] == '+') {
		start = 1
	}
	end := start
	for end < len(s) && s[end] >= '0' && s[end] <= '9' {
		end++
	}
	n := end - start
	if n <= 3 {
		return s
	}
	b := make([]byte, 0, len(s)+(n-1)/3)
	b = append(b, s[:start]...)
	for i := start; i < end; i++ {
		if i > start && (end-i)%3 == 0 {
			b = append(b, ',')
		}
		b = append(b, s[i])
	}
	return string(append(b, s[end:]...))
}

// Grouped writes a whole number with its thousands grouped: 1,234,567.
func Grouped(n int64) string { return GroupDigits(strconv.FormatInt(n, 10)) }

// HoursGrouped writes m in hours as Hours does, with the thousands
// grouped: 18,006.87.
func (m Minutes) HoursGrouped() string { return GroupDigits(m.Hours()) }

// Grouped writes the quantity as String does, with the thousands grouped:
// 1,234,567.5.
func (q Quantity) Grouped() string { return GroupDigits(q.String()) }
