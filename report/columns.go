package report

// Column is one column of a spreadsheet the platform writes and reads back:
// its header (always Chinese: imports match it), whether an import needs
// it, its width in characters, whether the template formats it as text (so
// that Excel keeps long digit strings and leading zeros as typed), the
// catalogue key that explains it on the 说明 sheet, and an example value.
type Column struct {
	Header   string
	Required bool
	Width    float64
	Text     bool
	Note     string
	Example  string
}

// The headers, as templates write them and imports expect them.
const (
	ColName         = "姓名"
	ColGender       = "性别"
	ColPhone        = "手机号"
	ColIDCard       = "身份证号"
	ColStatus       = "政治面貌"
	ColOrg          = "所属组织"
	ColRegion       = "所在地区"
	ColSkills       = "特长"
	ColWillingness  = "服务意愿"
	ColAvailability = "可服务时间"
	ColTalents      = "人才标签"
	ColRole         = "角色"
	ColJoinedOn     = "加入日期"
	ColLeftOn       = "离队日期"
	// ColVolunteerNo is the volunteer number (志愿者统一编号): written by
	// exports after the columns an import reads, and ignored by imports.
	ColVolunteerNo = "志愿者编号"
)

// ExamplePhone is the phone number of the templates' example row. An import
// refuses a row with it, so a forgotten example row is not registered as a
// person.
const ExamplePhone = "13800000000"

// PeopleColumns are the columns of a people import and export.
var PeopleColumns = []Column{
	{Header: ColName, Required: true, Width: 12, Note: "excel.note.name", Example: "王芳"},
	{Header: ColGender, Required: true, Width: 8, Note: "excel.note.gender", Example: "女"},
	{Header: ColPhone, Required: true, Width: 15, Text: true, Note: "excel.note.phone", Example: ExamplePhone},
	{Header: ColIDCard, Width: 22, Text: true, Note: "excel.note.id_card", Example: "11010519491231002X"},
	{Header: ColStatus, Required: true, Width: 13, Note: "excel.note.status", Example: "中共党员"},
	{Header: ColOrg, Required: true, Width: 24, Note: "excel.note.org"},
	{Header: ColRegion, Width: 16, Note: "excel.note.region"},
	{Header: ColSkills, Width: 20, Note: "excel.note.skills", Example: "兽医、驾驶"},
	{Header: ColWillingness, Width: 26, Note: "excel.note.willingness", Example: "疫病防治、畜牧养殖"},
	{Header: ColAvailability, Width: 24, Note: "excel.note.availability", Example: "工作日晚上、周末全天"},
	{Header: ColTalents, Width: 14, Note: "excel.note.talents", Example: "专业人才"},
}

// RosterColumns are the columns of a roster import and of the current
// members in a roster export: the phone number identifies the person, the
// name is checked against the registry.
var RosterColumns = []Column{
	{Header: ColPhone, Required: true, Width: 15, Text: true, Note: "excel.note.roster_phone", Example: ExamplePhone},
	{Header: ColName, Required: true, Width: 12, Note: "excel.note.roster_name", Example: "王芳"},
	{Header: ColRole, Width: 8, Note: "excel.note.role", Example: "队员"},
	{Header: ColJoinedOn, Width: 13, Text: true, Note: "excel.note.joined_on", Example: "2025-03-05"},
}

// HistoryColumns are the columns of a roster's history sheet.
var HistoryColumns = append(append([]Column(nil), RosterColumns...),
	Column{Header: ColLeftOn, Width: 13, Text: true})

// VolunteerNoColumn is the volunteer-number column exports add last.
var VolunteerNoColumn = Column{Header: ColVolunteerNo, Width: 15, Text: true}

// WithVolunteerNo returns cols followed by the volunteer-number column.
func WithVolunteerNo(cols []Column) []Column {
	return append(append([]Column(nil), cols...), VolunteerNoColumn)
}

// Position returns the index of a header in cols, or -1.
func Position(cols []Column, header string) int {
	for i, c := range cols {
		if c.Header == header {
			return i
		}
	}
	return -1
}
