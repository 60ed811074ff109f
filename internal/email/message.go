package email

import (
	"context"
	"fmt"
	"net/url"
	"strings"

	"github.com/wneessen/go-mail"

	"github.com/bridgesoftrust/hub/ent"
	"github.com/bridgesoftrust/hub/ent/emaildelivery"
	"github.com/bridgesoftrust/hub/ent/eventregistration"
	"github.com/bridgesoftrust/hub/ent/notification"
	"github.com/bridgesoftrust/hub/ent/topic"
	"github.com/bridgesoftrust/hub/internal/i18n"
	"github.com/bridgesoftrust/hub/internal/signedlink"
)

// texts are the words of the e-mails, by language; English is the
// fallback of any other language.
var texts = map[string]map[string]string{
	i18n.English: {
		"subject.IMMEDIATE": "News from Bridges of Trust",
		"subject.DAILY":     "Your daily Bridges of Trust digest",
		"subject.WEEKLY":    "Your weekly Bridges of Trust digest",
		"greeting":          "Hello %s,",
		"notifications":     "Notifications",
		"topics":            "New topics in the forum categories you follow",
		"events":            "Your upcoming events",
		"waitlisted":        "(waiting list)",
		"unsubscribe":       "To stop these e-mails, open %s",
		"REPLY":             "New reply in “%s”",
		"MENTION":           "You were mentioned in “%s”",
		"NEWS":              "News: %s",
		"REQUEST":           "Partnership request: %s",
		"EVENT_PROMOTED":    "A place is yours at “%s”",
		"EVENT_REMINDER":    "Reminder: “%s”",
	},
	i18n.Ukrainian: {
		"subject.IMMEDIATE": "Новини «Мостів довіри»",
		"subject.DAILY":     "Ваш щоденний дайджест «Мостів довіри»",
		"subject.WEEKLY":    "Ваш щотижневий дайджест «Мостів довіри»",
		"greeting":          "Вітаємо, %s!",
		"notifications":     "Сповіщення",
		"topics":            "Нові теми у розділах форуму, за якими ви стежите",
		"events":            "Ваші найближчі події",
		"waitlisted":        "(список очікування)",
		"unsubscribe":       "Щоб більше не отримувати ці листи, відкрийте %s",
		"REPLY":             "Нова відповідь у темі «%s»",
		"MENTION":           "Вас згадали в темі «%s»",
		"NEWS":              "Новина: %s",
		"REQUEST":           "Запит на партнерство: %s",
		"EVENT_PROMOTED":    "Для вас звільнилося місце: «%s»",
		"EVENT_REMINDER":    "Нагадування: «%s»",
	},
}

// text returns the words of key in lang (English when missing).
func text(lang, key string, args ...any) string {
	t, ok := texts[lang][key]
	if !ok {
		t = texts[i18n.English][key]
	}
	return fmt.Sprintf(t, args...)
}

// language returns the e-mail language of a preferred language code.
func language(code string) string {
	base, _, _ := strings.Cut(code, "-")
	if _, ok := texts[base]; ok {
		return base
	}
	return i18n.English
}

// UnsubscribeURL is the one-click unsubscribe address of a user's e-mails
// of frequency f.
func UnsubscribeURL(baseURL string, userID int, f emaildelivery.Frequency) string {
	return strings.TrimSuffix(baseURL, "/") + "/email/unsubscribe?token=" +
		url.QueryEscape(signedlink.Make(signedlink.Unsubscribe, userID, string(f)))
}

// message builds the e-mail of a batch's rows.
func (s *Sender) message(ctx context.Context, rows []*ent.EmailDelivery) (*mail.Msg, error) {
	u, err := s.Client.User.Get(ctx, rows[0].UserID)
	if err != nil {
		return nil, err
	}
	lang, f := language(u.PreferredLanguage), rows[0].Frequency
	body, err := s.body(ctx, lang, rows)
	if err != nil {
		return nil, err
	}
	unsubscribe := UnsubscribeURL(s.BaseURL, u.ID, f)
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n\n%s\n-- \n%s\n", text(lang, "greeting", u.DisplayName), body, text(lang, "unsubscribe", unsubscribe))
	m := mail.NewMsg()
	if err := m.From(s.From); err != nil {
		return nil, fmt.Errorf("sender address %q: %w", s.From, err)
	}
	if err := m.To(u.Email); err != nil {
		return nil, err
	}
	m.Subject(text(lang, "subject."+string(f)))
	m.SetMessageID()
	m.SetDate()
	m.SetGenHeader(mail.HeaderContentLang, lang)
	m.SetListUnsubscribe(unsubscribe)
	m.SetListUnsubscribePost()
	m.SetBodyString(mail.TypeTextPlain, b.String())
	return m, nil
}

// body lists the items of rows under their headings.
func (s *Sender) body(ctx context.Context, lang string, rows []*ent.EmailDelivery) (string, error) {
	var notes, topics, regs []string
	for _, r := range rows {
		var line string
		var err error
		switch {
		case r.NotificationID != nil:
			line, err = s.notificationLine(ctx, lang, *r.NotificationID)
			notes = append(notes, line)
		case r.TopicID != nil:
			var t *ent.Topic
			t, err = s.Client.Topic.Query().Where(topic.ID(*r.TopicID)).Only(ctx)
			if err == nil {
				topics = append(topics, t.Title)
			}
		case r.EventRegistrationID != nil:
			line, err = s.eventLine(ctx, lang, *r.EventRegistrationID)
			regs = append(regs, line)
		}
		if err != nil && !ent.IsNotFound(err) {
			return "", err
		}
	}
	var b strings.Builder
	for _, sec := range []struct {
		key   string
		lines []string
	}{{"notifications", notes}, {"topics", topics}, {"events", regs}} {
		if len(sec.lines) == 0 {
			continue
		}
		fmt.Fprintf(&b, "%s\n", text(lang, sec.key))
		for _, l := range sec.lines {
			fmt.Fprintf(&b, "  - %s\n", l)
		}
		b.WriteString("\n")
	}
	return b.String(), nil
}

// notificationLine describes a notification in lang.
func (s *Sender) notificationLine(ctx context.Context, lang string, id int) (string, error) {
	n, err := s.Client.Notification.Query().Where(notification.ID(id)).WithTopic().WithNewsItem().
		WithEventRegistration(func(q *ent.EventRegistrationQuery) { q.WithEvent() }).Only(ctx)
	if err != nil {
		return "", err
	}
	kind := string(n.Kind)
	switch {
	case n.Edges.Topic != nil:
		return text(lang, kind, n.Edges.Topic.Title), nil
	case n.Edges.NewsItem != nil:
		return text(lang, kind, n.Edges.NewsItem.Title), nil
	case n.Edges.EventRegistration != nil && n.Edges.EventRegistration.Edges.Event != nil:
		return text(lang, kind, n.Edges.EventRegistration.Edges.Event.Title), nil
	case strings.HasPrefix(kind, "REQUEST_"):
		return text(lang, "REQUEST", strings.TrimPrefix(kind, "REQUEST_")), nil
	}
	return kind, nil
}

// eventLine describes an upcoming event of a registration in lang, in the
// event's time zone.
func (s *Sender) eventLine(ctx context.Context, lang string, id int) (string, error) {
	r, err := s.Client.EventRegistration.Query().Where(eventregistration.ID(id)).WithEvent().Only(ctx)
	if err != nil {
		return "", err
	}
	e := r.Edges.Event
	line := fmt.Sprintf("%s, %s (%s)", e.Title, e.StartsAt.In(location(e.TimeZone)).Format("2006-01-02 15:04"), e.TimeZone)
	if r.Status == eventregistration.StatusWAITLISTED {
		line += " " + text(lang, "waitlisted")
	}
	return line, nil
}
