package store

import (
	"context"
	"crypto/rand"
	"fmt"
	"math/big"
	"strings"

	"vanguard/domain"
)

// The points shop. Two invariants hold under any concurrency: an item's
// stock never goes below zero and a balance never goes below zero. Each is
// kept by one conditional UPDATE in the redemption's transaction
// ("stock = stock - 1 WHERE stock > 0", "balance = balance - cost WHERE
// balance >= cost") backed by a CHECK: never "read, then write". On
// PostgreSQL concurrent redemptions queue on the item's row lock and then
// on the balance's; on SQLite BEGIN IMMEDIATE serialises them. Every
// transaction takes the item's row before the balance's, so they cannot
// deadlock. A redemption's state moves from pending exactly once, by an
// UPDATE conditional on state = 'pending', so a code picks up once.

const shopItemColumns = `i.id, COALESCE(i.org_id, 0), COALESCE(i.site_id, 0), COALESCE(o.name, st.name, ''),
	COALESCE(o.path, so.path, ''), i.name, i.description, i.cost, i.stock, i.place, i.valid_until, i.active,
	(SELECT COUNT(*) FROM shop_redemptions r WHERE r.item_id = i.id AND r.state <> 'cancelled')`

const shopItemFrom = ` FROM shop_items i LEFT JOIN orgs o ON o.id = i.org_id
	LEFT JOIN sites st ON st.id = i.site_id LEFT JOIN orgs so ON so.id = st.org_id`

func scanShopItem(row interface{ Scan(...any) error }) (domain.ShopItem, error) {
	var it domain.ShopItem
	err := row.Scan(&it.ID, &it.OrgID, &it.SiteID, &it.OwnerName, &it.OwnerPath, &it.Name, &it.Description,
		&it.Cost, &it.Stock, &it.Place, &it.ValidUntil, &it.Active, &it.Redeemed)
	return it, err
}

// shopScope keeps the items a manager's scope covers: their org subtrees
// (items of the orgs and of the sites of those orgs) and their sites.
func shopScope(sc domain.Scope) (string, []any) {
	if sc.All {
		return "1=1", nil
	}
	var parts []string
	var args []any
	if len(sc.OrgPaths) > 0 {
		c, a := inScope("COALESCE(o.path, so.path)", "", sc)
		parts, args = append(parts, c), append(args, a...)
	}
	for _, id := range sc.SiteIDs {
		parts, args = append(parts, "i.site_id = ?"), append(args, id)
	}
	if len(parts) == 0 {
		return "1=0", nil
	}
	return "(" + strings.Join(parts, " OR ") + ")", args
}

// ShopItems lists the items within a manager's scope, newest first.
func (s *Store) ShopItems(ctx context.Context, sc domain.Scope) ([]domain.ShopItem, error) {
	cond, args := shopScope(sc)
	return s.shopItems(ctx, " WHERE "+cond+" ORDER BY i.active DESC, i.id DESC LIMIT 500", args...)
}

// AvailableShopItems lists the items a volunteer can redeem on day today:
// active, still valid and in stock.
func (s *Store) AvailableShopItems(ctx context.Context, today string) ([]domain.ShopItem, error) {
	return s.shopItems(ctx, " WHERE i.active = ? AND i.stock > 0 AND i.valid_until >= ? ORDER BY i.cost, i.id LIMIT 500",
		true, today)
}

func (s *Store) shopItems(ctx context.Context, where string, args ...any) ([]domain.ShopItem, error) {
	rows, err := s.query(ctx, "SELECT "+shopItemColumns+shopItemFrom+where, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []domain.ShopItem
	for rows.Next() {
		it, err := scanShopItem(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, it)
	}
	return out, rows.Err()
}

// ShopItem finds one item.
func (s *Store) ShopItem(ctx context.Context, id int64) (domain.ShopItem, error) {
	it, err := scanShopItem(s.queryRow(ctx, "SELECT "+shopItemColumns+shopItemFrom+" WHERE i.id = ?", id))
	return it, notFound(err, "err.shop.not_found")
}

func (tx *Tx) shopItem(id int64) (domain.ShopItem, error) {
	it, err := scanShopItem(tx.queryRow("SELECT "+shopItemColumns+shopItemFrom+" WHERE i.id = ?", id))
	return it, notFound(err, "err.shop.not_found")
}

func shopItemSummary(in domain.ValidShopItem) map[string]any {
	return map[string]any{"org_id": in.OrgID, "site_id": in.SiteID, "name": in.Name, "cost": in.Cost,
		"stock": in.Stock, "place": in.Place, "valid_until": in.ValidUntil, "active": in.Active}
}

// CreateShopItem lists a new item and audits it.
func (tx *Tx) CreateShopItem(in domain.ValidShopItem) (int64, error) {
	now := micros(tx.now)
	id, err := tx.insert(`INSERT INTO shop_items (org_id, site_id, name, description, cost, stock, place, valid_until,
		active, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		nullID(in.OrgID), nullID(in.SiteID), in.Name, in.Description, in.Cost, in.Stock, in.Place, in.ValidUntil,
		in.Active, now, now)
	if err != nil {
		return 0, fmt.Errorf("create shop item: %w", err)
	}
	return id, tx.Audit("shop.item_create", "shop_item", fmt.Sprint(id), nil, shopItemSummary(in))
}

// UpdateShopItem changes an item (its owner stays) and audits it. The
// stock set here is what is left on the shelf now.
func (tx *Tx) UpdateShopItem(id int64, in domain.ValidShopItem) error {
	before, err := tx.shopItem(id)
	if err != nil {
		return err
	}
	if _, err := tx.exec(`UPDATE shop_items SET name = ?, description = ?, cost = ?, stock = ?, place = ?,
		valid_until = ?, active = ?, updated_at = ? WHERE id = ?`,
		in.Name, in.Description, in.Cost, in.Stock, in.Place, in.ValidUntil, in.Active, micros(tx.now), id); err != nil {
		return fmt.Errorf("update shop item: %w", err)
	}
	in.OrgID, in.SiteID = before.OrgID, before.SiteID
	return tx.Audit("shop.item_update", "shop_item", fmt.Sprint(id), map[string]any{"name": before.Name,
		"cost": before.Cost, "stock": before.Stock, "place": before.Place, "valid_until": before.ValidUntil,
		"active": before.Active}, shopItemSummary(in))
}

// newPickupCode draws a random code of the unambiguous alphabet that no
// redemption holds yet.
func (tx *Tx) newPickupCode() (string, error) {
	max := big.NewInt(int64(len(domain.PickupAlphabet)))
	for try := 0; try < 10; try++ {
		b := make([]byte, domain.PickupCodeLen)
		for i := range b {
			n, err := rand.Int(rand.Reader, max)
			if err != nil {
				return "", err
			}
			b[i] = domain.PickupAlphabet[n.Int64()]
		}
		var n int
		if err := tx.queryRow("SELECT COUNT(*) FROM shop_redemptions WHERE code = ?", string(b)).Scan(&n); err != nil {
			return "", err
		}
		if n == 0 {
			return string(b), nil
		}
	}
	return "", fmt.Errorf("no free pickup code")
}

// Redeem spends a person's points on one of an item on day today: one
// from the stock, the cost from the balance, a redemption with a fresh
// pickup code and a ledger entry. It refuses with 已下架 (inactive or past
// its date), 库存不足 or 积分不足 and then changes nothing.
func (tx *Tx) Redeem(itemID, personID int64, today string) (domain.Redemption, error) {
	res, err := tx.exec(`UPDATE shop_items SET stock = stock - 1
		WHERE id = ? AND active = ? AND valid_until >= ? AND stock > 0`, itemID, true, today)
	if err != nil {
		return domain.Redemption{}, fmt.Errorf("take stock: %w", err)
	}
	it, err := tx.shopItem(itemID)
	if err != nil {
		return domain.Redemption{}, err
	}
	if n, _ := res.RowsAffected(); n != 1 {
		if !it.Active || it.ValidUntil < today {
			return domain.Redemption{}, domain.Errorf(domain.CodeConflict, "err.shop.withdrawn")
		}
		return domain.Redemption{}, domain.Errorf(domain.CodeConflict, "err.shop.no_stock")
	}
	if _, err := tx.exec(`INSERT INTO points_balances (person_id, balance, earned) VALUES (?, 0, 0)
		ON CONFLICT (person_id) DO NOTHING`, personID); err != nil {
		return domain.Redemption{}, err
	}
	res, err = tx.exec("UPDATE points_balances SET balance = balance - ? WHERE person_id = ? AND balance >= ?",
		it.Cost, personID, it.Cost)
	if err != nil {
		return domain.Redemption{}, fmt.Errorf("spend points: %w", err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return domain.Redemption{}, domain.Errorf(domain.CodeConflict, "err.shop.no_points", it.Cost)
	}
	code, err := tx.newPickupCode()
	if err != nil {
		return domain.Redemption{}, err
	}
	id, err := tx.insert(`INSERT INTO shop_redemptions (item_id, person_id, cost, code, state, created_at)
		VALUES (?, ?, ?, ?, ?, ?)`, itemID, personID, it.Cost, code, string(domain.RedemptionPending), micros(tx.now))
	if err != nil {
		return domain.Redemption{}, fmt.Errorf("record redemption: %w", err)
	}
	if err := tx.ledgerEntry(personID, -it.Cost, PointsRedeem, id, it.Name); err != nil {
		return domain.Redemption{}, err
	}
	if err := tx.Audit("shop.redeem", "shop_redemption", fmt.Sprint(id), nil,
		map[string]any{"item_id": itemID, "person_id": personID, "cost": it.Cost}); err != nil {
		return domain.Redemption{}, err
	}
	return tx.redemption("r.id = ?", id)
}

// ledgerEntry writes the ledger entry of a change already made to the
// balance, with the balance it left.
func (tx *Tx) ledgerEntry(personID, points int64, cause string, refID int64, note string) error {
	var balance int64
	if err := tx.queryRow("SELECT balance FROM points_balances WHERE person_id = ?", personID).Scan(&balance); err != nil {
		return err
	}
	_, err := tx.insert(`INSERT INTO points_ledger (person_id, points, balance, cause, activity_id, ref_id, note, created_by, created_at)
		VALUES (?, ?, ?, ?, NULL, ?, ?, ?, ?)`,
		personID, points, balance, cause, refID, note, nullID(tx.actor.UserID), micros(tx.now))
	return err
}

const redemptionColumns = `r.id, r.item_id, i.name, i.place, COALESCE(o.name, st.name, ''), COALESCE(o.path, so.path, ''),
	COALESCE(i.site_id, 0), r.person_id, p.name, r.cost, r.code, r.state, r.created_at, r.closed_at, r.cancel_reason`

const redemptionFrom = ` FROM shop_redemptions r JOIN shop_items i ON i.id = r.item_id JOIN people p ON p.id = r.person_id
	LEFT JOIN orgs o ON o.id = i.org_id LEFT JOIN sites st ON st.id = i.site_id LEFT JOIN orgs so ON so.id = st.org_id`

func scanRedemption(row interface{ Scan(...any) error }) (domain.Redemption, error) {
	var r domain.Redemption
	var state string
	var created, closed int64
	err := row.Scan(&r.ID, &r.ItemID, &r.ItemName, &r.Place, &r.OwnerName, &r.OwnerPath, &r.SiteID, &r.PersonID,
		&r.PersonName, &r.Cost, &r.Code, &state, &created, &closed, &r.CancelReason)
	r.State, r.CreatedAt = domain.RedemptionState(state), fromMicros(created)
	if closed > 0 {
		r.ClosedAt = fromMicros(closed)
	}
	return r, err
}

func (tx *Tx) redemption(cond string, args ...any) (domain.Redemption, error) {
	r, err := scanRedemption(tx.queryRow("SELECT "+redemptionColumns+redemptionFrom+" WHERE "+cond, args...))
	return r, notFound(err, "err.shop.redemption_not_found")
}

// RedemptionByID finds a redemption.
func (s *Store) RedemptionByID(ctx context.Context, id int64) (domain.Redemption, error) {
	r, err := scanRedemption(s.queryRow(ctx, "SELECT "+redemptionColumns+redemptionFrom+" WHERE r.id = ?", id))
	return r, notFound(err, "err.shop.redemption_not_found")
}

// RedemptionByCode finds a redemption by its pickup code.
func (s *Store) RedemptionByCode(ctx context.Context, code string) (domain.Redemption, error) {
	r, err := scanRedemption(s.queryRow(ctx, "SELECT "+redemptionColumns+redemptionFrom+" WHERE r.code = ?", code))
	return r, notFound(err, "err.shop.code_unknown")
}

// PersonRedemptions lists a person's redemptions, newest first.
func (s *Store) PersonRedemptions(ctx context.Context, personID int64) ([]domain.Redemption, error) {
	return s.redemptions(ctx, " WHERE r.person_id = ? ORDER BY r.id DESC LIMIT 200", personID)
}

// PendingRedemptions lists the redemptions waiting for pickup of the items
// within a manager's scope.
func (s *Store) PendingRedemptions(ctx context.Context, sc domain.Scope) ([]domain.Redemption, error) {
	cond, args := shopScope(sc)
	return s.redemptions(ctx, " WHERE r.state = 'pending' AND "+cond+" ORDER BY r.id DESC LIMIT 500", args...)
}

func (s *Store) redemptions(ctx context.Context, where string, args ...any) ([]domain.Redemption, error) {
	rows, err := s.query(ctx, "SELECT "+redemptionColumns+redemptionFrom+where, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []domain.Redemption
	for rows.Next() {
		r, err := scanRedemption(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// PickUp closes a pending redemption as collected; a code works once.
func (tx *Tx) PickUp(id int64) error {
	res, err := tx.exec(`UPDATE shop_redemptions SET state = ?, closed_at = ?, closed_by = ?
		WHERE id = ? AND state = ?`, string(domain.RedemptionPickedUp), micros(tx.now), nullID(tx.actor.UserID),
		id, string(domain.RedemptionPending))
	if err != nil {
		return fmt.Errorf("pick up: %w", err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return tx.notPending(id)
	}
	return tx.Audit("shop.pickup", "shop_redemption", fmt.Sprint(id),
		map[string]any{"state": domain.RedemptionPending}, map[string]any{"state": domain.RedemptionPickedUp})
}

func (tx *Tx) notPending(id int64) error {
	r, err := tx.redemption("r.id = ?", id)
	if err != nil {
		return err
	}
	return domain.Errorf(domain.CodeConflict, "err.shop.closed", "points.state."+string(r.State))
}

// CancelRedemption cancels a pending redemption with a reason: the item
// goes back on the shelf and the points back to the person.
func (tx *Tx) CancelRedemption(id int64, reason string) error {
	res, err := tx.exec(`UPDATE shop_redemptions SET state = ?, closed_at = ?, closed_by = ?, cancel_reason = ?
		WHERE id = ? AND state = ?`, string(domain.RedemptionCancelled), micros(tx.now), nullID(tx.actor.UserID),
		reason, id, string(domain.RedemptionPending))
	if err != nil {
		return fmt.Errorf("cancel redemption: %w", err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return tx.notPending(id)
	}
	r, err := tx.redemption("r.id = ?", id)
	if err != nil {
		return err
	}
	if _, err := tx.exec("UPDATE shop_items SET stock = stock + 1 WHERE id = ?", r.ItemID); err != nil {
		return err
	}
	if _, err := tx.exec("UPDATE points_balances SET balance = balance + ? WHERE person_id = ?", r.Cost, r.PersonID); err != nil {
		return err
	}
	if err := tx.ledgerEntry(r.PersonID, r.Cost, PointsRedeemCancel, id, r.ItemName); err != nil {
		return err
	}
	return tx.Audit("shop.cancel", "shop_redemption", fmt.Sprint(id),
		map[string]any{"state": domain.RedemptionPending}, map[string]any{"state": domain.RedemptionCancelled, "reason": reason})
}
