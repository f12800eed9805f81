package domain

import "testing"

func TestAuthorize(t *testing.T) {
	admin := Principal{UserID: 1, Grants: []Grant{{Role: RoleCommitteeAdmin}}}
	orgAdmin := Principal{UserID: 2, Grants: []Grant{{Role: RoleOrgAdmin, ScopeID: 4, OrgPath: "/1/4/"}}}
	leader := Principal{UserID: 3, PersonID: 30, Grants: []Grant{{Role: RoleTeamLeader, ScopeID: 7}}}
	vol := Principal{UserID: 5, Grants: []Grant{{Role: RoleVolunteer}}}
	fresh := Principal{UserID: 6, Grants: []Grant{{Role: RoleCommitteeAdmin}}, MustChangePassword: true}
	public := Principal{}
	pending := Principal{UserID: 7} // registered, not yet approved: no grants

	tests := []struct {
		name string
		p    Principal
		a    Action
		t    Target
		want Code // "" for allowed
	}{
		{"public page for anyone", public, ActPublic, Target{}, ""},
		{"self needs login", public, ActSelf, Target{}, CodeUnauthorized},
		{"self for a volunteer", vol, ActSelf, Target{}, ""},
		{"audit for committee", admin, ActAuditRead, Target{}, ""},
		{"audit not for org admin", orgAdmin, ActAuditRead, Target{}, CodeForbidden},
		{"audit asks public to log in", public, ActAuditRead, Target{}, CodeUnauthorized},
		{"personal data in subtree", orgAdmin, ActPersonalRead, Target{OrgPath: "/1/4/9/"}, ""},
		{"personal data at own org", orgAdmin, ActPersonalRead, Target{OrgPath: "/1/4/"}, ""},
		{"personal data outside subtree", orgAdmin, ActPersonalRead, Target{OrgPath: "/1/5/"}, CodeForbidden},
		{"path prefix is not a sibling", orgAdmin, ActPersonalRead, Target{OrgPath: "/1/45/"}, CodeForbidden},
		{"personal data for committee anywhere", admin, ActPersonalRead, Target{OrgPath: "/1/5/"}, ""},
		{"personal data not for leader", leader, ActPersonalRead, Target{TeamID: 7}, CodeForbidden},
		{"forced change blocks work", fresh, ActAuditRead, Target{}, CodeForbidden},
		{"forced change allows own pages", fresh, ActSelf, Target{}, ""},
		{"unknown action refused", admin, Action("nope"), Target{}, CodeForbidden},
		{"activities for a volunteer", vol, ActActivityRead, Target{}, ""},
		{"no activities for a pending registrant", pending, ActActivityRead, Target{}, CodeForbidden},
		{"own pages for a pending registrant", pending, ActSelf, Target{}, ""},
		{"registration of own subtree", orgAdmin, ActRegistrationApprove, Target{OrgPath: "/1/4/9/"}, ""},
		{"registration of another subtree", orgAdmin, ActRegistrationApprove, Target{OrgPath: "/1/5/"}, CodeForbidden},
		{"registration asking own team", leader, ActRegistrationApprove, Target{OrgPath: "/1/5/", TeamID: 7}, ""},
		{"registration asking another team", leader, ActRegistrationApprove, Target{OrgPath: "/1/5/", TeamID: 8}, CodeForbidden},
		{"registrations not for volunteers", vol, ActRegistrationApprove, Target{}, CodeForbidden},
	}
	for _, tt := range tests {
		err := Authorize(tt.p, tt.a, tt.t)
		got := Code("")
		if err != nil {
			got = ErrCode(err)
		}
		if got != tt.want {
			t.Errorf("%s: Authorize(%v, %q, %+v) = %q, want %q", tt.name, tt.p.MainRole(), tt.a, tt.t, got, tt.want)
		}
	}
}

func TestValidatePassword(t *testing.T) {
	tests := []struct {
		pw, user, want string
	}{
		{"short", "", "err.password.too_short"},
		{"qwertyuiop", "", "err.password.common"},
		{"QWERTYUIOP", "", "err.password.common"},
		{"aaaaaaaaaaaa", "", "err.password.common"},
		{"my-admin-horse-42", "admin", "err.password.contains_username"},
		{"correct horse battery", "admin", ""},
		{"长城长城长城长城长城", "", ""},
	}
	for _, tt := range tests {
		err := ValidatePassword("password", tt.pw, tt.user)
		got := ""
		if e, ok := AsError(err); ok {
			got = e.Key
		}
		if got != tt.want {
			t.Errorf("ValidatePassword(%q, %q) = %q, want %q", tt.pw, tt.user, got, tt.want)
		}
	}
}

func TestMaskAndSanitize(t *testing.T) {
	if got := MaskPhone("13812341234"); got != "138****1234" {
		t.Errorf("MaskPhone = %q", got)
	}
	if got := MaskIDCard("110101199003074258"); got != "1101**********4258" {
		t.Errorf("MaskIDCard = %q", got)
	}
	s := SanitizeSummary(map[string]any{"password": "x", "phone": "13812341234", "name": "张三", "token_hash": "abc", "must_change_password": true})
	if s["password"] != "[redacted]" || s["token_hash"] != "[redacted]" || s["phone"] != "138****1234" || s["name"] != "张三" || s["must_change_password"] != true {
		t.Errorf("SanitizeSummary = %v", s)
	}
}

// TestUnlinkedAccountsDoNotActAsPeople checks the one rule that a volunteer
// or team leader grant takes effect only for an account linked to a person.
func TestUnlinkedAccountsDoNotActAsPeople(t *testing.T) {
	vol := Principal{UserID: 5, Grants: []Grant{{Role: RoleVolunteer}}}
	leader := Principal{UserID: 3, Grants: []Grant{{Role: RoleTeamLeader, ScopeID: 7}}}
	orgAdmin := Principal{UserID: 2, Grants: []Grant{{Role: RoleOrgAdmin, ScopeID: 4, OrgPath: "/1/4/"}}}
	for _, tt := range []struct {
		name string
		p    Principal
		a    Action
		t    Target
	}{
		{"volunteer signs up", vol, ActSignup, Target{}},
		{"volunteer checks in", vol, ActCheckIn, Target{}},
		{"volunteer reads own record", vol, ActRecordRead, Target{UserID: 5}},
		{"leader answers a dispatch", leader, ActDispatchAnswer, Target{TeamID: 7}},
		{"leader manages the team", leader, ActTeamManage, Target{TeamID: 7}},
	} {
		if err := Authorize(tt.p, tt.a, tt.t); ErrCode(err) != CodeForbidden {
			t.Errorf("%s, not linked: %v, want forbidden", tt.name, err)
		}
		linked := tt.p
		linked.PersonID = 99
		if err := Authorize(linked, tt.a, tt.t); err != nil {
			t.Errorf("%s, linked: %v, want allowed", tt.name, err)
		}
	}
	if s := ScopeOf(leader, ActTeamRead); !s.Empty() {
		t.Errorf("unlinked leader's scope %+v, want empty", s)
	}
	// Signed-in pages and other roles do not need a person.
	if err := Authorize(vol, ActSelf, Target{}); err != nil {
		t.Errorf("unlinked volunteer's own pages: %v", err)
	}
	if err := Authorize(orgAdmin, ActRegistryRead, Target{OrgPath: "/1/4/"}); err != nil {
		t.Errorf("org admin without a person: %v", err)
	}
}

// TestAuthorizeAccount checks who manages which account: the committee all,
// an org admin only accounts wholly inside their subtree, never a committee
// admin's nor one in no org.
func TestAuthorizeAccount(t *testing.T) {
	admin := Principal{UserID: 1, Grants: []Grant{{Role: RoleCommitteeAdmin}}}
	orgAdmin := Principal{UserID: 2, Grants: []Grant{{Role: RoleOrgAdmin, ScopeID: 4, OrgPath: "/1/4/"}}}
	leader := Principal{UserID: 3, PersonID: 9, Grants: []Grant{{Role: RoleTeamLeader, ScopeID: 7}}}
	for _, tt := range []struct {
		name  string
		p     Principal
		paths []string
		whole bool
		want  Code
	}{
		{"committee: any account", admin, []string{"/1/5/"}, false, ""},
		{"committee: a committee admin", admin, nil, true, ""},
		{"org admin: account in subtree", orgAdmin, []string{"/1/4/9/", "/1/4/"}, false, ""},
		{"org admin: one path outside", orgAdmin, []string{"/1/4/9/", "/1/5/"}, false, CodeForbidden},
		{"org admin: a committee admin", orgAdmin, []string{"/1/4/"}, true, CodeForbidden},
		{"org admin: account in no org", orgAdmin, nil, false, CodeForbidden},
		{"org admin: a path unknown", orgAdmin, []string{""}, false, CodeForbidden},
		{"leader: nobody's accounts", leader, []string{"/1/4/"}, false, CodeForbidden},
	} {
		got := ErrCode(AuthorizeAccount(tt.p, tt.paths, tt.whole))
		if AuthorizeAccount(tt.p, tt.paths, tt.whole) == nil {
			got = ""
		}
		if got != tt.want {
			t.Errorf("%s: %q, want %q", tt.name, got, tt.want)
		}
	}
	if BulkUsername(1024, 0) != "v1024" || BulkUsername(1024, 1) != "v1024-2" || ValidateUsername(BulkUsername(7, 3)) != nil {
		t.Errorf("BulkUsername: %q %q", BulkUsername(1024, 0), BulkUsername(1024, 1))
	}
}
