package report

import "vanguard/domain"

// A volunteer's own data as a workbook: a sheet of who they are (label and
// value), then one sheet per kind of record. Cells go through Row, so text
// the volunteer typed can never act as a formula.

// OwnData is the rows of each sheet, already in words.
type OwnData struct {
	Person       [][2]string // label, value
	Teams        [][]string
	Activities   [][]string
	Records      [][]string
	Certificates [][]string
	Requests     [][]string
	Awards       [][]string
	Trainings    [][]string
}

// The sheet names and their columns.
const (
	OwnPersonSheet       = "个人信息"
	OwnRegistrationSheet = "注册申请"
)

var (
	pairColumns     = []Column{{Header: "项目", Width: 22}, {Header: "内容", Width: 40}}
	ownSheets       = []string{"服务队", "服务活动", "服务记录", "服务证明", "证明申请", "表彰", "培训"}
	ownSheetColumns = [][]Column{
		{{Header: "服务队", Width: 24}, {Header: "角色"}, {Header: "加入日期"}, {Header: "离开日期"}},
		{{Header: "活动", Width: 28}, {Header: "组织单位", Width: 20}, {Header: "服务队", Width: 20}, {Header: "开始时间", Width: 18},
			{Header: "结束时间", Width: 18}, {Header: "报名状态"}, {Header: "是否到场"}, {Header: "服务时长（小时）"}},
		{{Header: "活动", Width: 28}, {Header: "日期"}, {Header: "组织单位", Width: 20}, {Header: "计入服务队", Width: 20},
			{Header: "服务时长（小时）"}, {Header: "更正次数"}, {Header: "更正待审核"}},
		{{Header: "证明编号", Width: 28}, {Header: "出具单位", Width: 20}, {Header: "起始日期"}, {Header: "截止日期"},
			{Header: "服务时长（小时）"}, {Header: "服务人次"}, {Header: "出具日期"}, {Header: "已作废"}},
		{{Header: "起始日期"}, {Header: "截止日期"}, {Header: "用途", Width: 30}, {Header: "状态"}, {Header: "申请日期"}},
		{{Header: "表彰名称", Width: 28}, {Header: "日期"}, {Header: "授予单位", Width: 20}},
		{{Header: "日期"}, {Header: "培训内容", Width: 30}, {Header: "时长（小时）"}},
	}
)

// OwnDataBook writes a volunteer's own data. The caller closes the book.
func OwnDataBook(d OwnData) (*Book, error) {
	b, err := NewBook()
	if err != nil {
		return nil, err
	}
	if err := b.AppendPairs(OwnPersonSheet, d.Person); err != nil {
		b.Close()
		return nil, err
	}
	for i, rows := range [][][]string{d.Teams, d.Activities, d.Records, d.Certificates, d.Requests, d.Awards, d.Trainings} {
		sheet, err := b.Sheet(ownSheets[i], ownSheetColumns[i])
		if err == nil {
			for _, r := range rows {
				if err = sheet.Row(r...); err != nil {
					break
				}
			}
		}
		if err != nil {
			b.Close()
			return nil, err
		}
	}
	return b, nil
}

// AppendPairs adds a sheet of label and value rows.
func (b *Book) AppendPairs(name string, pairs [][2]string) error {
	sheet, err := b.Sheet(name, pairColumns)
	if err != nil {
		return err
	}
	for _, p := range pairs {
		if err := sheet.Row(p[0], p[1]); err != nil {
			return err
		}
	}
	return nil
}

var signupWords = map[domain.SignupState]string{
	domain.SignupConfirmed: "已报名", domain.SignupWaitlisted: "候补", domain.SignupRequested: "待审核",
	domain.SignupCancelled: "已取消", domain.SignupRejected: "未通过",
}

// SignupName is a sign-up state in words; "" (attended without signing
// up) is "现场参加".
func SignupName(s domain.SignupState) string {
	if s == "" {
		return "现场参加"
	}
	return signupWords[s]
}

// CertRequestStateName is a certificate application's state in words.
func CertRequestStateName(s domain.CertificateRequestState) string {
	return map[domain.CertificateRequestState]string{domain.RequestPending: "待办理", domain.RequestAccepted: "已受理", domain.RequestIssued: "已出具",
		domain.RequestDeclined: "未出具"}[s]
}

// RegistrationStateName is a registration's state in words.
func RegistrationStateName(s domain.RegistrationState) string {
	return map[domain.RegistrationState]string{domain.RegistrationPending: "待审核", domain.RegistrationApproved: "已通过",
		domain.RegistrationRejected: "未通过"}[s]
}
