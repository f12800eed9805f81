package domain

import "testing"

func TestCampaignInputValidate(t *testing.T) {
	in, err := CampaignInput{Name: " 十个全覆盖 ", StartsOn: "2026-05-01", EndsOn: "2026-07-31"}.Validate()
	if err != nil || in.Name != "十个全覆盖" {
		t.Errorf("good campaign: %+v, %v", in, err)
	}
	_, err = CampaignInput{Name: "", StartsOn: "2026-05-01", EndsOn: "2026-04-30"}.Validate()
	e, _ := AsError(err)
	if e == nil || e.Fields["name"] == nil || e.Fields["ends_on"] == nil || e.Fields["ends_on"].Key != "err.campaign.end_before_start" {
		t.Errorf("bad campaign: %v", err)
	}
	_, err = CampaignInput{Name: "x", StartsOn: "2026-13-01"}.Validate()
	if e, _ := AsError(err); e == nil || e.Fields["starts_on"] == nil {
		t.Errorf("bad date: %v", err)
	}
	if _, err := (BatchInput{Note: "第一\n批"}).Validate(); err == nil {
		t.Error("a batch note with a line break was accepted")
	}
	if b, err := (BatchInput{Note: " 陈巴尔虎旗 "}).Validate(); err != nil || b.Note != "陈巴尔虎旗" {
		t.Errorf("batch: %+v, %v", b, err)
	}
}

func TestProjectInputValidate(t *testing.T) {
	in := ProjectInput{Name: "送医送药进牧区", Term: TermLong, TeamID: 3, StartedOn: "2017-05-01"}
	if _, err := in.Validate(); err != nil {
		t.Errorf("good project: %v", err)
	}
	_, err := ProjectInput{Name: "x", Term: "forever", StartedOn: ""}.Validate()
	e, _ := AsError(err)
	for _, f := range []string{"term", "team", "starts_on"} {
		if e == nil || e.Fields[f] == nil {
			t.Errorf("no fault on %s: %v", f, err)
		}
	}
	if (Project{OrgPath: "/1/4/", TeamID: 7}).Target() != (Target{OrgPath: "/1/4/", TeamID: 7}) {
		t.Error("Project.Target")
	}
	s := Sums{Metrics: []MetricSum{{Metric: Metric{Code: "trees_planted"}, Value: Units(300)}}}
	if s.Value("trees_planted") != Units(300) || s.Value("fence_built") != 0 {
		t.Error("Sums.Value")
	}
}
