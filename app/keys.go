package app

import (
	"errors"
	"fmt"

	"vanguard/service"
)

// The operator's messages when the secret key and the database do not
// belong together. They say what is wrong and what to do, in both languages,
// because the program must not start: with another key, ID numbers cannot be
// revealed and duplicate ID numbers are no longer found.

// missingKey is the refusal to generate a new key at path for a database
// that holds sealed data.
func missingKey(path string) error {
	return fmt.Errorf("%s 不存在，但数据库中已有用密钥加密的数据：请放回与该数据库一起备份的 secret.key，"+
		"或用 VANGUARD_SECRET_KEY 设置该密钥；不要用新密钥启动。\n"+
		"the secret key file %s is missing but the database holds data sealed with a key: put back the "+
		"secret.key that belongs to this database (it is in the backup archive), or set VANGUARD_SECRET_KEY "+
		"to that key; a new key would make ID numbers unreadable", path, path)
}

// keyAdvice explains a key that does not match the database's data.
func keyAdvice(cfg Config, err error) error {
	if !errors.Is(err, service.ErrWrongKey) {
		return err
	}
	from := "VANGUARD_SECRET_KEY"
	if cfg.SecretKey == "" {
		from = cfg.DataDir + "/secret.key"
	}
	return fmt.Errorf("密钥（%s）与数据库中的数据不匹配：请放回与该数据库一起备份的 secret.key，或用 VANGUARD_SECRET_KEY "+
		"设置加密这些数据时的密钥。\n"+
		"the secret key from %s is not the key this database's data was sealed with: put back the "+
		"secret.key that belongs to this database, or set VANGUARD_SECRET_KEY to that key: %w", from, from, err)
}
