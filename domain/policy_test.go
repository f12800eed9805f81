package domain

import "testing"

func TestAuthorize(t *testing.T) {
	admin := Principal{UserID: 1, Grants: []Grant{{Role: RoleCommitteeAdmin}}}
	orgAdmin := Principal{UserID: 2, Grants: []Grant{{Role: RoleOrgAdmin, ScopeID: 4, OrgPath: "/1/4/"}}}
	leader := Principal{UserID: 3, Grants: []Grant{{Role: RoleTeamLeader, ScopeID: 7}}}
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
