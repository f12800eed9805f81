package views

// AuditChainView is the state of the audit log's chain in a clerk's words:
// Message says whether the log is whole and, if not, from which record on
// it was changed; RowURL lists the audit log from that record.
type AuditChainView struct {
	Intact  bool
	Message string
	RowURL  string
}
