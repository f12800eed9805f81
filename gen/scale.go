// Package gen generates a platform's year of data at a chosen scale — a
// province on PostgreSQL (1,000,000 people, 20,000 orgs, 2,000 teams,
// 200,000 activities, 10,000,000 person-times) or the demo city ×10 on
// SQLite — for benchmarks of the statistics, ledgers, scores and the annual
// report. The registry, the menu and the plan of the year (which team serves
// which order on which day) are built in memory first; the big tables
// (sign-ups, attendance, hours) are then streamed to the store's bulk
// loader, each activity's rows regenerated from a seed of its own, so that
// ten million rows are never held at once.
//
// The data keeps every rule the application keeps: hours only for completed
// activities, one person-time per attended person with the minutes
// domain.AttendedMinutes gives, every participant a member of a team of the
// activity on its day, confirmed sign-ups within capacity, order steps in
// time order along the lifecycle table, dates within the year.
package gen

import (
	"fmt"
	"strconv"
)

// Scale is how much to generate.
type Scale struct {
	Name        string
	People      int
	Orgs        int
	Teams       int
	Activities  int
	PersonTimes int // the target number of activity_hours rows
	Orders      int
	Banners     int // regions: 旗/区
	Towns       int // 苏木/镇
	Villages    int // 嘎查/村
	Sites       int
	Campaigns   int // each with six batches
}

// Province is the scale of issue 14: a province on PostgreSQL.
var Province = Scale{Name: "province", People: 1_000_000, Orgs: 20_000, Teams: 2_000, Activities: 200_000,
	PersonTimes: 10_000_000, Orders: 100_000, Banners: 100, Towns: 1_000, Villages: 10_000, Sites: 8_000, Campaigns: 10}

// City10 is the demo city ×10 (378 orgs, 5,716 people, 67 teams, 941
// activities, 6,155 person-times and 365 orders in the demo).
var City10 = Scale{Name: "city10", People: 57_160, Orgs: 3_780, Teams: 670, Activities: 9_410,
	PersonTimes: 61_550, Orders: 3_650, Banners: 20, Towns: 200, Villages: 1_900, Sites: 1_060, Campaigns: 1}

// People returns a scale of n people in the province's shape.
func People(n int) Scale {
	f := func(div, least int) int { return max(least, n/div) }
	return Scale{Name: strconv.Itoa(n), People: n, Orgs: f(50, 21), Teams: f(500, 2), Activities: f(5, 10),
		PersonTimes: n * 10, Orders: f(10, 5), Banners: f(10_000, 2), Towns: f(1_000, 4), Villages: f(100, 8),
		Sites: f(125, 4), Campaigns: 1 + n/100_000}
}

// ParseScale reads "province", "city10" or a number of people.
func ParseScale(s string) (Scale, error) {
	switch s {
	case "province":
		return Province, nil
	case "city10":
		return City10, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 200 || n > 5_000_000 {
		return Scale{}, fmt.Errorf("scale %q: want province, city10 or a number of people from 200 to 5000000", s)
	}
	return People(n), nil
}
