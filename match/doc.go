// Package match is Vanguard's group-dispatch optimiser (派单/组团): it gives
// every (order, category) slot to one volunteer team that offers the category,
// or leaves it unassigned, at the least total cost.
//
// The package is pure and deterministic: it takes plain Go values, imports
// nothing of the project, does no I/O, and the same input always gives the
// same result (ties are broken by team id; no map order leaks).
//
// # Cost
//
// A plan's cost is the sum of
//
//   - travel: for every distinct (order, team) pair in the plan, the
//     great-circle distance in km (haversine, R = 6371.0 km), paid once per
//     pair however many categories that team serves there;
//   - mismatch: for every assigned slot, 10 × (1 − willingness) × person-days;
//   - fairness: per team with final load F and capacity C, f(F) − f(load0),
//     where f(x) = 4·max(0, min(x, 0.85C) − 0.6C) + 12·max(0, x − 0.85C);
//   - unassigned: 1000 × person-days of each unassigned slot;
//
// and capacity is hard: F ≤ C for every team.
//
// # Entry points
//
// [NewMatcher] indexes teams (a k-d tree per category) and [Matcher.Group]
// finds, for one order and the teams' current loads, the cheapest group
// exactly over each category's K nearest teams with room, the next-best
// distinct groups, and explanations: per team the categories it covers,
// distance, load before and after, willingness, its cost components and
// the runner-up it beat, by how much in each component
// ([Cost.Largest] names the main one). [Matcher.Explain] prices a group
// chosen by hand.
//
// [Plan] plans a batch: a Lagrangian relaxation prices team load around
// the same exact per-order step, a feasible plan is rebuilt from the prices
// every few iterations and polished by local search, and the best dual
// value is reported as a lower bound on the optimum. [Evaluate] prices any
// plan; [DecodeInstance] reads the batch file format of `vanguard dispatch
// plan`; [Generate] makes benchmark instances.
package match
