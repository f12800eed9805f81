package service

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"image/jpeg"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"syscall"

	"vanguard/domain"
	"vanguard/store"
)

// Photos of activities are files outside the database, in the photo folder,
// each under a random name; the database holds a row per photo with its
// type, size and checksum. Several instances on one PostgreSQL must share
// the folder (a network file system or a shared volume), as they share the
// database.

// SetPhotoDir sets the folder photos are kept in. It is created, 0700, with
// the first upload; photos are 0600, like everything in the data folder.
func (s *Service) SetPhotoDir(dir string) { s.photoDir = dir }

// The photo types, told from the file's first bytes.
var (
	jpegMagic = []byte{0xFF, 0xD8, 0xFF}
	pngMagic  = []byte{0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'}
)

// maxPhotoPixels refuses images too large to decode safely, before any
// pixel is decoded (a small file can claim a huge picture): 30 megapixels,
// more than a 5 MB photo from a phone holds. Re-encoding one at the limit
// takes about 200 MB for a moment (see decodeSlots).
const maxPhotoPixels = 30_000_000

// CheckPhoto tells a photo's type from its bytes — a JPEG or PNG signature
// and a header that decodes as that format — and returns its content type
// and size in pixels. Anything else is refused with a message for the user,
// whatever its file name says.
func CheckPhoto(b []byte) (contentType string, width, height int, err error) {
	switch {
	case len(b) == 0:
		return "", 0, 0, domain.Invalid("photo", "err.photo.empty")
	case len(b) > domain.MaxPhotoBytes:
		return "", 0, 0, domain.Invalid("photo", "err.photo.too_large", domain.MaxPhotoBytes>>20)
	case bytes.HasPrefix(b, jpegMagic):
		cfg, err := jpeg.DecodeConfig(bytes.NewReader(b))
		if err != nil {
			return "", 0, 0, domain.Invalid("photo", "err.photo.broken")
		}
		contentType, width, height = "image/jpeg", cfg.Width, cfg.Height
	case bytes.HasPrefix(b, pngMagic):
		cfg, err := png.DecodeConfig(bytes.NewReader(b))
		if err != nil {
			return "", 0, 0, domain.Invalid("photo", "err.photo.broken")
		}
		contentType, width, height = "image/png", cfg.Width, cfg.Height
	default:
		return "", 0, 0, domain.Invalid("photo", "err.photo.type")
	}
	if width <= 0 || height <= 0 || int64(width)*int64(height) > maxPhotoPixels {
		return "", 0, 0, domain.Invalid("photo", "err.photo.dimensions")
	}
	return contentType, width, height, nil
}

// storedName is what a stored photo's file is called: 32 hex digits and the
// type's extension. Names read back from the database are checked against
// it before they touch the file system.
var storedName = regexp.MustCompile(`^[0-9a-f]{32}\.(jpg|png)$`)

// AddPhoto checks an uploaded photo, writes it to the photo folder and
// records it. It reads at most one byte over the limit from r.
func (s *Service) AddPhoto(ctx context.Context, c domain.Caller, activityID int64, r io.Reader) (int64, error) {
	a, err := s.outcomeActivity(ctx, c, activityID)
	if err != nil {
		return 0, err
	}
	if err := domain.OutcomeOpen(a, s.store.Now()); err != nil {
		return 0, err
	}
	b, err := io.ReadAll(io.LimitReader(r, domain.MaxPhotoBytes+1))
	if err != nil {
		return 0, domain.Invalid("photo", "err.photo.read")
	}
	clean, err := cleanPhotoBytes(b)
	if err != nil {
		return 0, err
	}
	b = clean.Bytes
	photos, err := s.store.ActivityPhotos(ctx, a.ID)
	if err != nil {
		return 0, err
	}
	if len(photos) >= domain.MaxPhotosPerActivity {
		return 0, domain.Invalid("photo", "err.photo.too_many", domain.MaxPhotosPerActivity)
	}
	sum := sha256.Sum256(b)
	p := domain.Photo{ActivityID: a.ID, ContentType: clean.ContentType, Size: int64(len(b)), SHA256: hex.EncodeToString(sum[:]),
		Width: clean.Width, Height: clean.Height}
	for _, x := range photos {
		if x.SHA256 == p.SHA256 {
			return 0, domain.Invalid("photo", "err.photo.duplicate")
		}
	}
	if p.StoredName, err = s.writePhotoFile(b, clean.ContentType); err != nil {
		return 0, s.photoStorageError(err)
	}
	if err := s.writeFile(clean.Thumb, thumbName(p.StoredName)); err != nil {
		os.Remove(filepath.Join(s.photoDir, p.StoredName))
		return 0, s.photoStorageError(err)
	}
	var id int64
	err = s.store.Write(ctx, c.Actor(), func(tx *store.Tx) error {
		id, err = tx.AddPhoto(p)
		return err
	})
	if err != nil {
		os.Remove(filepath.Join(s.photoDir, p.StoredName))
		os.Remove(filepath.Join(s.photoDir, thumbName(p.StoredName)))
		return 0, err
	}
	return id, nil
}

// writePhotoFile writes b under a new random name, whole or not at all: to
// a temporary file first, synced, then renamed.
func (s *Service) writePhotoFile(b []byte, contentType string) (string, error) {
	if s.photoDir == "" {
		return "", errors.New("photos: no photo folder configured")
	}
	if err := os.MkdirAll(s.photoDir, 0o700); err != nil {
		return "", fmt.Errorf("photo folder: %w", err)
	}
	var rnd [16]byte
	rand.Read(rnd[:])
	ext := ".jpg"
	if contentType == "image/png" {
		ext = ".png"
	}
	name := hex.EncodeToString(rnd[:]) + ext
	return name, s.writeFile(b, name)
}

// writeFile writes b to the photo folder under name, whole or not at all.
func (s *Service) writeFile(b []byte, name string) error {
	f, err := os.CreateTemp(s.photoDir, ".upload-*")
	if err != nil {
		return fmt.Errorf("photo file: %w", err)
	}
	tmp := f.Name()
	_, err = f.Write(b)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp, 0o600)
	}
	if err == nil {
		err = os.Rename(tmp, filepath.Join(s.photoDir, name))
	}
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("photo file: %w", err)
	}
	return nil
}

// photoStorageError turns a photo folder that cannot be written (read-only,
// full, not ours) into a message the clerk can act on — tell the system
// administrator — and logs the detail for that administrator.
func (s *Service) photoStorageError(err error) error {
	if !errors.Is(err, os.ErrPermission) && !errors.Is(err, syscall.EROFS) && !errors.Is(err, syscall.ENOSPC) &&
		!errors.Is(err, syscall.EDQUOT) {
		return err
	}
	if s.log != nil {
		s.log.Error("photo folder cannot be written", "dir", s.photoDir, "error", err)
	}
	return domain.Invalid("photo", "err.photo.storage")
}

// canSeePhotos decides who may see an activity's photos: those who may
// record its outcome (its organisers and leaders, org admins over it, the
// committee) and the volunteers who took part in it.
func (s *Service) canSeePhotos(ctx context.Context, c domain.Caller, a domain.Activity) (bool, error) {
	if domain.AuthorizeAny(c.Principal, domain.ActOutcomeRecord, a.Targets()) == nil {
		return true, nil
	}
	if c.Anonymous() || !domain.Can(c.Principal, domain.ActSignup, domain.Target{UserID: c.UserID}) {
		return false, nil
	}
	p, err := s.store.PersonByUserID(ctx, c.UserID)
	if domain.ErrCode(err) == domain.CodeNotFound {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return s.store.TookPart(ctx, a.ID, p.ID)
}

// PhotoFile is a photo opened for serving.
type PhotoFile struct {
	domain.Photo
	File *os.File
}

// Photo opens one of an activity's photos for a caller allowed to see it.
// The caller closes the file.
func (s *Service) Photo(ctx context.Context, c domain.Caller, activityID, photoID int64) (PhotoFile, error) {
	if err := domain.Authorize(c.Principal, domain.ActActivityRead, domain.Target{}); err != nil {
		return PhotoFile{}, err
	}
	a, err := s.store.ActivityByID(ctx, activityID)
	if err != nil {
		return PhotoFile{}, err
	}
	ok, err := s.canSeePhotos(ctx, c, a)
	if err != nil {
		return PhotoFile{}, err
	}
	if !ok {
		return PhotoFile{}, domain.Errorf(domain.CodeForbidden, "err.forbidden")
	}
	p, err := s.store.PhotoByID(ctx, photoID)
	if err != nil {
		return PhotoFile{}, err
	}
	if p.ActivityID != a.ID || !storedName.MatchString(p.StoredName) || s.photoDir == "" {
		return PhotoFile{}, domain.Errorf(domain.CodeNotFound, "err.photo.not_found")
	}
	f, err := os.Open(filepath.Join(s.photoDir, p.StoredName))
	if errors.Is(err, os.ErrNotExist) {
		return PhotoFile{}, domain.Errorf(domain.CodeNotFound, "err.photo.missing")
	}
	if err != nil {
		return PhotoFile{}, fmt.Errorf("open photo: %w", err)
	}
	return PhotoFile{Photo: p, File: f}, nil
}

// DeletePhoto removes one of an activity's photos: the row, then the file.
// A file left behind by a crash between the two is harmless: nothing names
// it.
func (s *Service) DeletePhoto(ctx context.Context, c domain.Caller, activityID, photoID int64) error {
	a, err := s.outcomeActivity(ctx, c, activityID)
	if err != nil {
		return err
	}
	p, err := s.store.PhotoByID(ctx, photoID)
	if err != nil {
		return err
	}
	if p.ActivityID != a.ID {
		return domain.Errorf(domain.CodeNotFound, "err.photo.not_found")
	}
	if err := s.store.Write(ctx, c.Actor(), func(tx *store.Tx) error { return tx.DeletePhoto(p) }); err != nil {
		return err
	}
	if storedName.MatchString(p.StoredName) && s.photoDir != "" {
		for _, name := range []string{p.StoredName, thumbName(p.StoredName)} {
			if err := os.Remove(filepath.Join(s.photoDir, name)); err != nil && !errors.Is(err, os.ErrNotExist) {
				s.log.Warn("remove photo file", "photo", p.ID, "error", err)
			}
		}
	}
	return nil
}

// PhotoThumbnail opens the thumbnail of one of an activity's photos, for
// the same callers as Photo. A photo stored before thumbnails were kept (or
// restored from a backup without them) gets one made now; when that fails
// too, the photo itself is served.
func (s *Service) PhotoThumbnail(ctx context.Context, c domain.Caller, activityID, photoID int64) (PhotoFile, error) {
	pf, err := s.Photo(ctx, c, activityID, photoID)
	if err != nil {
		return pf, err
	}
	path := filepath.Join(s.photoDir, thumbName(pf.StoredName))
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		if err = s.makeThumbnail(pf); err == nil {
			f, err = os.Open(path)
		} else {
			s.log.Warn("make photo thumbnail", "photo", pf.ID, "error", err)
		}
	}
	if err != nil {
		return pf, nil
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return pf, nil
	}
	pf.File.Close()
	pf.File, pf.ContentType, pf.Size, pf.SHA256 = f, "image/jpeg", st.Size(), pf.SHA256+"-t"
	return pf, nil
}

// makeThumbnail makes the missing thumbnail of a stored photo from the
// photo, which is read from the open file and rewound for serving.
func (s *Service) makeThumbnail(pf PhotoFile) error {
	b, err := io.ReadAll(io.LimitReader(pf.File, domain.MaxPhotoBytes+1))
	if _, serr := pf.File.Seek(0, io.SeekStart); err == nil {
		err = serr
	}
	if err != nil {
		return err
	}
	th, err := thumbnailOf(b)
	if err != nil {
		return err
	}
	return s.writeFile(th, thumbName(pf.StoredName))
}
