//! Typed provider errors with stable codes and localised user messages.
//!
//! Every documented error of both provider protocols has its own variant.
//! Transport-level failures (HTML error pages, malformed JSON, timeouts) are
//! variants too, so the UI can always show something precise.

use serde::{Deserialize, Serialize};
use std::fmt;

/// UI languages the messages are written in (matches `extension/_locales`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    En,
    Ru,
    Uk,
    Fr,
    Pt,
}

impl Lang {
    /// Picks a language from a BCP-47 tag such as `ru-RU` or `pt_BR`; English otherwise.
    pub fn from_tag(tag: &str) -> Lang {
        let primary = tag.split(['-', '_']).next().unwrap_or("").to_ascii_lowercase();
        match primary.as_str() {
            "ru" => Lang::Ru,
            "uk" => Lang::Uk,
            "fr" => Lang::Fr,
            "pt" => Lang::Pt,
            _ => Lang::En,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ProviderError {
    // --- sms-activate protocol (SMS.online) ---
    BadKey,
    BadAction,
    ErrorSql,
    /// `BANNED:'2025-01-01 10-00-00'`: account blocked until the given time.
    Banned {
        until: String,
    },
    AccountInactive,
    AccountBlocked,
    NoIdRent,
    InvalidPhone,
    StatusFinish,
    StatusCancel,
    StatusWaitCode,
    StatusRevoke,
    EarlyCancelDenied,
    NoActivation,
    NoActivations,
    BadStatus,
    WrongActivationId,
    NoBalance,
    NoNumbers,
    BadService,
    BadCountry,
    BadOperator,
    BadTime,
    /// `WRONG_MAX_PRICE:12.5`: the price limit is below the current minimum.
    WrongMaxPrice {
        min: String,
    },
    /// The rental cannot be prolonged (sms-activate `CANT_CONTINUE`, or the 7-day rule).
    CannotProlong,
    /// `CANT_CANCEL`: more than 20 minutes have passed since the rent started.
    CannotCancel,
    /// `ALREADY_FINISH`: `setRentStatus` on a rent that is already finished.
    AlreadyFinished,
    /// `ALREADY_CANCEL`: `setRentStatus` on a rent that is already cancelled.
    AlreadyCancelled,
    /// `INCORECT_STATUS` (the family's spelling) / `INCORRECT_STATUS`: status value not accepted.
    IncorrectStatus,
    /// `RENT_DIE`: the rent cannot be extended, the number's lifespan is over.
    RentDie,
    /// `INVALID_ACTIVATION_ID`: the activation ID is invalid or not a number.
    InvalidActivationId,
    /// `CHANNELS_LIMIT` (sms-activate family) or SMSPVA's "too many requests": slow down, retry later.
    RateLimited,
    /// `SERVER_ERROR`: the provider failed internally.
    ServerError,
    /// `NO_KEY`: the request carried no API key.
    NoKey,
    /// `WRONG_EXCEPTION_PHONE`: the excluded number prefixes are malformed.
    WrongExceptionPhone,
    /// `NO_BALANCE_FORWARD`: not enough balance to buy a forwarding number.
    NoBalanceForward,
    /// `STATUS_WAIT_RETRY:<code>`: waiting for another SMS; `code` is the last one received.
    StatusWaitRetry {
        code: String,
    },
    /// `STATUS_WAIT_RESEND`: waiting for the SMS to be sent again.
    StatusWaitResend,
    // --- SMSPVA live `msg` strings ---
    /// "order not found": the order no longer exists at SMSPVA (terminal).
    OrderNotFound,
    /// "incorrect order": the order ID is not one of this key's orders (terminal).
    IncorrectOrder,
    // --- SMSPVA restore codes ---
    RestoreNoAvailDays,
    RestoreNotOwner,
    RestoreNoRemoteData,
    RestoreNoOrderCountry,
    RestoreDateDiffInvert,
    RestoreNoServiceData,
    RestoreNoBalance {
        detail: String,
    },
    /// Any other SMSPVA `msg` string, kept verbatim.
    ProviderMessage {
        msg: String,
    },
    /// A documented-looking token we have no variant for, kept verbatim.
    UnknownCode {
        code: String,
    },
    // --- transport ---
    Http {
        status: u16,
    },
    HtmlPage {
        status: u16,
    },
    MalformedJson {
        detail: String,
    },
    Unexpected {
        snippet: String,
    },
    Timeout,
    Network {
        detail: String,
    },
    InvalidInput {
        detail: String,
    },
}

use ProviderError::*;

impl ProviderError {
    /// Stable machine code, shown to other tools and used by tests.
    pub fn code(&self) -> &'static str {
        match self {
            BadKey => "BAD_KEY",
            BadAction => "BAD_ACTION",
            ErrorSql => "ERROR_SQL",
            Banned { .. } => "BANNED",
            AccountInactive => "ACCOUNT_INACTIVE",
            AccountBlocked => "ACCOUNT_BLOCKED",
            NoIdRent => "NO_ID_RENT",
            InvalidPhone => "INVALID_PHONE",
            StatusFinish => "STATUS_FINISH",
            StatusCancel => "STATUS_CANCEL",
            StatusWaitCode => "STATUS_WAIT_CODE",
            StatusRevoke => "STATUS_REVOKE",
            EarlyCancelDenied => "EARLY_CANCEL_DENIED",
            NoActivation => "NO_ACTIVATION",
            NoActivations => "NO_ACTIVATIONS",
            BadStatus => "BAD_STATUS",
            WrongActivationId => "WRONG_ACTIVATION_ID",
            NoBalance => "NO_BALANCE",
            NoNumbers => "NO_NUMBERS",
            BadService => "BAD_SERVICE",
            BadCountry => "BAD_COUNTRY",
            BadOperator => "BAD_OPERATOR",
            BadTime => "BAD_TIME",
            WrongMaxPrice { .. } => "WRONG_MAX_PRICE",
            CannotProlong => "CANNOT_PROLONG",
            CannotCancel => "CANNOT_CANCEL",
            AlreadyFinished => "ALREADY_FINISH",
            AlreadyCancelled => "ALREADY_CANCEL",
            IncorrectStatus => "INCORRECT_STATUS",
            RentDie => "RENT_DIE",
            InvalidActivationId => "INVALID_ACTIVATION_ID",
            RateLimited => "RATE_LIMITED",
            ServerError => "SERVER_ERROR",
            NoKey => "NO_KEY",
            WrongExceptionPhone => "WRONG_EXCEPTION_PHONE",
            NoBalanceForward => "NO_BALANCE_FORWARD",
            StatusWaitRetry { .. } => "STATUS_WAIT_RETRY",
            StatusWaitResend => "STATUS_WAIT_RESEND",
            OrderNotFound => "ORDER_NOT_FOUND",
            IncorrectOrder => "INCORRECT_ORDER",
            RestoreNoAvailDays => "NOAVAILDAYS",
            RestoreNotOwner => "NOTOWNER",
            RestoreNoRemoteData => "NOREMOTEDATA",
            RestoreNoOrderCountry => "NOORDERCOUNTRY",
            RestoreDateDiffInvert => "DATEDIFFINVERT",
            RestoreNoServiceData => "NOSERVICEDATA",
            RestoreNoBalance { .. } => "NOBALANCE",
            ProviderMessage { .. } => "PROVIDER_MESSAGE",
            UnknownCode { .. } => "UNKNOWN_CODE",
            Http { .. } => "HTTP_ERROR",
            HtmlPage { .. } => "HTML_PAGE",
            MalformedJson { .. } => "MALFORMED_JSON",
            Unexpected { .. } => "UNEXPECTED_RESPONSE",
            Timeout => "TIMEOUT",
            Network { .. } => "NETWORK",
            InvalidInput { .. } => "INVALID_INPUT",
        }
    }

    /// Maps an sms-activate protocol token (`BAD_KEY`, `BANNED:...`, ...) to a variant.
    /// Returns `None` for tokens that are not errors.
    pub fn from_activate_token(token: &str) -> Option<ProviderError> {
        let t = token.trim().trim_matches('"');
        let (head, tail) = match t.find(':') {
            Some(i) => (&t[..i], t[i + 1..].trim().trim_matches('\'').to_string()),
            None => (t, String::new()),
        };
        Some(match head.to_ascii_uppercase().as_str() {
            "BAD_KEY" | "WRONG_API_KEY" => BadKey,
            "NO_KEY" => NoKey,
            "BAD_ACTION" => BadAction,
            "ERROR_SQL" | "SQL_ERROR" => ErrorSql,
            "BANNED" => Banned { until: tail },
            "ACCOUNT_INACTIVE" => AccountInactive,
            "ACCOUNT_BLOCKED" | "ACCOUNT_BANNED" => AccountBlocked,
            "NO_ID_RENT" => NoIdRent,
            "INVALID_PHONE" => InvalidPhone,
            "STATUS_FINISH" => StatusFinish,
            "STATUS_CANCEL" => StatusCancel,
            "STATUS_WAIT_CODE" => StatusWaitCode,
            "STATUS_REVOKE" => StatusRevoke,
            "EARLY_CANCEL_DENIED" => EarlyCancelDenied,
            "NO_ACTIVATION" => NoActivation,
            "NO_ACTIVATIONS" => NoActivations,
            "BAD_STATUS" => BadStatus,
            "WRONG_ACTIVATION_ID" => WrongActivationId,
            "INVALID_ACTIVATION_ID" => InvalidActivationId,
            "NO_BALANCE" | "LOW_BALANCE" | "NO_MONEY" => NoBalance,
            "NO_BALANCE_FORWARD" => NoBalanceForward,
            "NO_NUMBERS" => NoNumbers,
            "BAD_SERVICE" | "WRONG_SERVICE" => BadService,
            "WRONG_EXCEPTION_PHONE" => WrongExceptionPhone,
            "ALREADY_FINISH" | "ALREADY_FINISHED" => AlreadyFinished,
            "ALREADY_CANCEL" | "ALREADY_CANCELED" | "ALREADY_CANCELLED" => AlreadyCancelled,
            "INCORECT_STATUS" | "INCORRECT_STATUS" => IncorrectStatus,
            "RENT_DIE" => RentDie,
            "CHANNELS_LIMIT" => RateLimited,
            "SERVER_ERROR" => ServerError,
            "STATUS_WAIT_RETRY" => StatusWaitRetry { code: tail },
            "STATUS_WAIT_RESEND" => StatusWaitResend,
            "BAD_COUNTRY" | "WRONG_COUNTRY" => BadCountry,
            "BAD_OPERATOR" | "WRONG_OPERATOR" => BadOperator,
            "BAD_TIME" | "INVALID_TIME" | "INCORRECT_TIME" | "BAD_RENT_TIME" => BadTime,
            "WRONG_MAX_PRICE" => WrongMaxPrice { min: tail },
            "CANT_CONTINUE" | "CANNOT_CONTINUE" => CannotProlong,
            "CANT_CANCEL" | "CANNOT_CANCEL" => CannotCancel,
            _ => return None,
        })
    }

    /// Maps an SMSPVA `msg` string to a variant (never fails: unknown strings are kept).
    pub fn from_smspva_msg(msg: &str) -> ProviderError {
        let m = msg.trim();
        let upper = m.to_ascii_uppercase();
        let first = upper.split(|c: char| !c.is_ascii_alphanumeric() && c != '_').next().unwrap_or("");
        match first {
            "NOAVAILDAYS" => return RestoreNoAvailDays,
            "NOTOWNER" => return RestoreNotOwner,
            "NOREMOTEDATA" => return RestoreNoRemoteData,
            "NOORDERCOUNTRY" => return RestoreNoOrderCountry,
            "DATEDIFFINVERT" => return RestoreDateDiffInvert,
            "NOSERVICEDATA" => return RestoreNoServiceData,
            "NOBALANCE" => {
                return RestoreNoBalance { detail: m[first.len()..].trim_start_matches([':', ' ']).to_string() }
            }
            _ => {}
        }
        let lower = m.to_lowercase();
        let words = lower.split_whitespace().collect::<Vec<_>>().join(" ");
        if words.trim_end_matches(['.', '!']) == "order not found" {
            OrderNotFound
        } else if words.trim_end_matches(['.', '!']) == "incorrect order" {
            IncorrectOrder
        } else if words.contains("too many requests")
            || words.contains("too many connections")
            || words.contains("rate limit")
            || words.contains("request limit")
        {
            RateLimited
        } else if lower.contains("the user had not this order") {
            RestoreNotOwner
        } else if lower.starts_with("service not found") {
            RestoreNoServiceData
        } else if lower.starts_with("balance is not enough") {
            RestoreNoBalance { detail: String::new() }
        } else if (lower.contains("api key") || lower.contains("apikey"))
            && ["not found", "wrong", "invalid", "incorrect", "bad"].iter().any(|w| lower.contains(w))
        {
            BadKey
        } else if lower.contains("insufficient")
            || lower.contains("not enough money")
            || lower.contains("no money")
            || lower.contains("low balance")
        {
            NoBalance
        } else if lower.contains("no free numbers")
            || lower.contains("no numbers")
            || lower.contains("numbers not available")
        {
            NoNumbers
        } else if lower.contains("prolong") && (lower.contains("7 days") || lower.contains("less")) {
            CannotProlong
        } else if let Some(e) = ProviderError::from_activate_token(m) {
            e
        } else {
            ProviderMessage { msg: m.chars().take(300).collect() }
        }
    }

    /// True for failures where the server may or may not have carried out the
    /// request (the answer was lost). Money-spending calls must reconcile, never retry.
    pub fn outcome_unknown(&self) -> bool {
        matches!(
            self,
            Timeout
                | Network { .. }
                | Http { .. }
                | HtmlPage { .. }
                | MalformedJson { .. }
                | Unexpected { .. }
                | ErrorSql
                | ServerError
        )
    }

    /// True when the provider says the rental no longer exists for this key (SMSPVA
    /// "order not found" / "incorrect order"): close it locally and stop polling it.
    pub fn closes_rental(&self) -> bool {
        matches!(self, OrderNotFound | IncorrectOrder)
    }

    /// True when the provider asks to slow down (`CHANNELS_LIMIT`, SMSPVA's rate-limit
    /// message): back off and retry later; not a failure of the account.
    pub fn is_rate_limit(&self) -> bool {
        matches!(self, RateLimited)
    }

    /// A clear message for the user, in the given language.
    pub fn message(&self, lang: Lang) -> String {
        let t = |en: &str, ru: &str, uk: &str, fr: &str, pt: &str| -> String {
            match lang {
                Lang::En => en,
                Lang::Ru => ru,
                Lang::Uk => uk,
                Lang::Fr => fr,
                Lang::Pt => pt,
            }
            .to_string()
        };
        match self {
            BadKey => t(
                "The API key was rejected. Check it in the options.",
                "API-ключ отклонён. Проверьте его в настройках.",
                "API-ключ відхилено. Перевірте його в налаштуваннях.",
                "La clé API a été refusée. Vérifiez-la dans les options.",
                "A chave da API foi recusada. Verifique-a nas opções.",
            ),
            BadAction => t(
                "The provider does not support this action.",
                "Провайдер не поддерживает это действие.",
                "Провайдер не підтримує цю дію.",
                "Le fournisseur ne prend pas en charge cette action.",
                "O provedor não suporta esta ação.",
            ),
            ErrorSql => t(
                "The provider had an internal error. Try again in a minute.",
                "Внутренняя ошибка провайдера. Повторите через минуту.",
                "Внутрішня помилка провайдера. Спробуйте за хвилину.",
                "Erreur interne du fournisseur. Réessayez dans une minute.",
                "Erro interno do provedor. Tente novamente em um minuto.",
            ),
            Banned { until } => {
                let base = t(
                    "The provider blocked this account",
                    "Провайдер заблокировал аккаунт",
                    "Провайдер заблокував акаунт",
                    "Le fournisseur a bloqué ce compte",
                    "O provedor bloqueou esta conta",
                );
                if until.is_empty() {
                    format!("{base}.")
                } else {
                    format!("{base}: {until}.")
                }
            }
            AccountInactive => t(
                "ACCOUNT_INACTIVE: the provider account is not active, or (older meaning) no free numbers right now.",
                "ACCOUNT_INACTIVE: аккаунт у провайдера не активен или (старое значение) сейчас нет свободных номеров.",
                "ACCOUNT_INACTIVE: акаунт у провайдера не активний або (старе значення) зараз немає вільних номерів.",
                "ACCOUNT_INACTIVE : le compte chez le fournisseur n'est pas actif, ou (ancien sens) aucun numéro libre pour l'instant.",
                "ACCOUNT_INACTIVE: a conta no provedor não está ativa ou (sentido antigo) não há números livres agora.",
            ),
            AccountBlocked => t(
                "The provider account is blocked.",
                "Аккаунт у провайдера заблокирован.",
                "Акаунт у провайдера заблоковано.",
                "Le compte chez le fournisseur est bloqué.",
                "A conta no provedor está bloqueada.",
            ),
            NoIdRent => t(
                "No rental ID was given.",
                "Не указан ID аренды.",
                "Не вказано ID оренди.",
                "Aucun identifiant de location fourni.",
                "Nenhum ID de aluguel informado.",
            ),
            InvalidPhone => t(
                "This rental is not yours (wrong rental ID).",
                "Номер арендован не вами (неверный ID аренды).",
                "Номер орендовано не вами (невірний ID оренди).",
                "Cette location n'est pas la vôtre (identifiant incorrect).",
                "Este aluguel não é seu (ID incorreto).",
            ),
            StatusFinish => t(
                "The rental is paid and finished.",
                "Аренда оплачена и завершена.",
                "Оренду оплачено й завершено.",
                "La location est payée et terminée.",
                "O aluguel foi pago e encerrado.",
            ),
            StatusCancel => t(
                "The rental was cancelled and refunded.",
                "Аренда отменена с возвратом денег.",
                "Оренду скасовано з поверненням коштів.",
                "La location a été annulée et remboursée.",
                "O aluguel foi cancelado e reembolsado.",
            ),
            StatusWaitCode => t(
                "Waiting for the first SMS.",
                "Ожидание первой СМС.",
                "Очікування першого SMS.",
                "En attente du premier SMS.",
                "Aguardando o primeiro SMS.",
            ),
            StatusRevoke => t(
                "The number was blocked; your money was returned.",
                "Номер заблокирован, средства возвращены.",
                "Номер заблоковано, кошти повернуто.",
                "Le numéro a été bloqué ; vous avez été remboursé.",
                "O número foi bloqueado; seu dinheiro foi devolvido.",
            ),
            EarlyCancelDenied => t(
                "A number cannot be cancelled in its first 2 minutes. Try again shortly.",
                "Номер нельзя отменить в первые 2 минуты. Повторите чуть позже.",
                "Номер не можна скасувати в перші 2 хвилини. Спробуйте трохи згодом.",
                "Impossible d'annuler un numéro pendant ses 2 premières minutes. Réessayez bientôt.",
                "Não é possível cancelar o número nos primeiros 2 minutos. Tente em breve.",
            ),
            NoActivation => t(
                "Activation not found.",
                "Активация не найдена.",
                "Активацію не знайдено.",
                "Activation introuvable.",
                "Ativação não encontrada.",
            ),
            NoActivations => t(
                "There are no active activations.",
                "Нет активных активаций.",
                "Немає активних активацій.",
                "Aucune activation en cours.",
                "Não há ativações ativas.",
            ),
            BadStatus => t(
                "The provider refused this status change.",
                "Провайдер отклонил смену статуса.",
                "Провайдер відхилив зміну статусу.",
                "Le fournisseur a refusé ce changement de statut.",
                "O provedor recusou esta mudança de status.",
            ),
            WrongActivationId => t(
                "Invalid activation ID.",
                "Неверный ID активации.",
                "Невірний ID активації.",
                "Identifiant d'activation invalide.",
                "ID de ativação inválido.",
            ),
            NoBalance => t(
                "Not enough balance with the provider.",
                "Недостаточно средств на балансе провайдера.",
                "Недостатньо коштів на балансі провайдера.",
                "Solde insuffisant chez le fournisseur.",
                "Saldo insuficiente no provedor.",
            ),
            NoNumbers => t(
                "No numbers are available for this service and country right now.",
                "Сейчас нет доступных номеров для этого сервиса и страны.",
                "Зараз немає доступних номерів для цього сервісу й країни.",
                "Aucun numéro disponible pour ce service et ce pays pour le moment.",
                "Não há números disponíveis para este serviço e país agora.",
            ),
            BadService => t(
                "Unknown service.",
                "Некорректный сервис.",
                "Некоректна назва сервісу.",
                "Service inconnu.",
                "Serviço desconhecido.",
            ),
            BadCountry => t(
                "Unknown country.",
                "Некорректная страна.",
                "Некоректна назва країни.",
                "Pays inconnu.",
                "País desconhecido.",
            ),
            BadOperator => t(
                "Unknown operator.",
                "Некорректный оператор.",
                "Некоректний оператор.",
                "Opérateur inconnu.",
                "Operadora desconhecida.",
            ),
            BadTime => t(
                "This rental duration is not offered.",
                "Некорректное время аренды.",
                "Некоректний час оренди.",
                "Cette durée de location n'est pas proposée.",
                "Esta duração de aluguel não é oferecida.",
            ),
            WrongMaxPrice { min } => {
                let base = t(
                    "The price is higher than your limit",
                    "Цена выше вашего лимита",
                    "Ціна вища за ваш ліміт",
                    "Le prix dépasse votre limite",
                    "O preço é maior que o seu limite",
                );
                if min.is_empty() {
                    format!("{base}.")
                } else {
                    format!("{base}: {min}.")
                }
            }
            CannotProlong => t(
                "This rental cannot be prolonged now (only when fewer than 7 days are left).",
                "Аренду сейчас нельзя продлить (только когда осталось меньше 7 дней).",
                "Оренду зараз не можна продовжити (лише коли лишилося менше 7 днів).",
                "Cette location ne peut pas être prolongée maintenant (seulement à moins de 7 jours de l'échéance).",
                "Este aluguel não pode ser prorrogado agora (só com menos de 7 dias restantes).",
            ),
            CannotCancel => t(
                "A rent can be cancelled only in its first 20 minutes; finish it instead.",
                "Аренду можно отменить только в первые 20 минут; завершите её.",
                "Оренду можна скасувати лише в перші 20 хвилин; завершіть її.",
                "Une location ne peut être annulée que pendant ses 20 premières minutes ; terminez-la.",
                "Um aluguel só pode ser cancelado nos primeiros 20 minutos; finalize-o.",
            ),
            AlreadyFinished => t(
                "This rental is already finished.",
                "Аренда уже завершена.",
                "Оренду вже завершено.",
                "Cette location est déjà terminée.",
                "Este aluguel já foi encerrado.",
            ),
            AlreadyCancelled => t(
                "This rental is already cancelled.",
                "Аренда уже отменена.",
                "Оренду вже скасовано.",
                "Cette location est déjà annulée.",
                "Este aluguel já foi cancelado.",
            ),
            IncorrectStatus => t(
                "The provider did not accept this status value.",
                "Провайдер не принял это значение статуса.",
                "Провайдер не прийняв це значення статусу.",
                "Le fournisseur n'a pas accepté cette valeur de statut.",
                "O provedor não aceitou este valor de status.",
            ),
            RentDie => t(
                "This number's lifespan is over; it cannot be prolonged.",
                "Срок жизни номера истёк; продлить его нельзя.",
                "Термін життя номера минув; продовжити його не можна.",
                "La durée de vie de ce numéro est écoulée ; il ne peut pas être prolongé.",
                "A vida útil deste número terminou; não pode ser prorrogado.",
            ),
            InvalidActivationId => t(
                "The activation ID is invalid or not a number.",
                "ID активации неверен или не является числом.",
                "ID активації невірний або не є числом.",
                "L'identifiant d'activation est invalide ou n'est pas un nombre.",
                "O ID da ativação é inválido ou não é um número.",
            ),
            RateLimited => t(
                "The provider asks to slow down; retrying in a moment.",
                "Провайдер просит снизить частоту запросов; повтор через мгновение.",
                "Провайдер просить зменшити частоту запитів; повтор за мить.",
                "Le fournisseur demande de ralentir ; nouvel essai dans un instant.",
                "O provedor pede para diminuir o ritmo; nova tentativa em instantes.",
            ),
            ServerError => t(
                "The provider's server failed. Try again in a minute.",
                "Сбой на сервере провайдера. Повторите через минуту.",
                "Збій на сервері провайдера. Спробуйте за хвилину.",
                "Le serveur du fournisseur a échoué. Réessayez dans une minute.",
                "O servidor do provedor falhou. Tente novamente em um minuto.",
            ),
            NoKey => t(
                "The request carried no API key. Add it in the options.",
                "В запросе нет API-ключа. Добавьте его в настройках.",
                "У запиті немає API-ключа. Додайте його в налаштуваннях.",
                "La requête ne contenait pas de clé API. Ajoutez-la dans les options.",
                "A solicitação não tinha chave da API. Adicione-a nas opções.",
            ),
            WrongExceptionPhone => t(
                "The excluded number prefixes are not valid.",
                "Исключаемые префиксы номеров указаны неверно.",
                "Виключені префікси номерів указано невірно.",
                "Les préfixes de numéros exclus ne sont pas valides.",
                "Os prefixos de números excluídos não são válidos.",
            ),
            NoBalanceForward => t(
                "Not enough balance to buy a number with forwarding.",
                "Недостаточно средств для покупки номера с переадресацией.",
                "Недостатньо коштів для купівлі номера з переадресацією.",
                "Solde insuffisant pour acheter un numéro avec renvoi.",
                "Saldo insuficiente para comprar um número com encaminhamento.",
            ),
            StatusWaitRetry { code } => {
                let base = t(
                    "Waiting for another SMS",
                    "Ожидание ещё одной СМС",
                    "Очікування ще одного SMS",
                    "En attente d'un autre SMS",
                    "Aguardando outro SMS",
                );
                if code.is_empty() {
                    format!("{base}.")
                } else {
                    format!("{base} ({code}).")
                }
            }
            StatusWaitResend => t(
                "Waiting for the SMS to be sent again.",
                "Ожидание повторной отправки СМС.",
                "Очікування повторного надсилання SMS.",
                "En attente d'un nouvel envoi du SMS.",
                "Aguardando o reenvio do SMS.",
            ),
            OrderNotFound => t(
                "The provider no longer has this order; it is closed.",
                "У провайдера больше нет этого заказа; он закрыт.",
                "У провайдера більше немає цього замовлення; його закрито.",
                "Le fournisseur n'a plus cette commande ; elle est close.",
                "O provedor não tem mais este pedido; ele foi encerrado.",
            ),
            IncorrectOrder => t(
                "The provider says this order is not yours or does not exist; it is closed.",
                "Провайдер сообщает, что заказ не ваш или не существует; он закрыт.",
                "Провайдер повідомляє, що замовлення не ваше або не існує; його закрито.",
                "Le fournisseur indique que cette commande n'est pas la vôtre ou n'existe pas ; elle est close.",
                "O provedor diz que este pedido não é seu ou não existe; ele foi encerrado.",
            ),
            RestoreNoAvailDays => t(
                "This number cannot be restored automatically: not enough working days left.",
                "Номер нельзя восстановить автоматически: недостаточно рабочих дней.",
                "Номер не можна відновити автоматично: недостатньо робочих днів.",
                "Ce numéro ne peut pas être restauré automatiquement : pas assez de jours disponibles.",
                "Este número não pode ser restaurado automaticamente: dias disponíveis insuficientes.",
            ),
            RestoreNotOwner => t(
                "This order is not yours.",
                "Этот заказ не ваш.",
                "Це замовлення не ваше.",
                "Cette commande n'est pas la vôtre.",
                "Este pedido não é seu.",
            ),
            RestoreNoRemoteData => t(
                "The order is not in the archive. Check that the rental has expired.",
                "Заказ не найден в архиве. Проверьте, что аренда истекла.",
                "Замовлення не знайдено в архіві. Перевірте, що оренда завершилася.",
                "Commande absente de l'archive. Vérifiez que la location a expiré.",
                "Pedido não encontrado no arquivo. Verifique se o aluguel expirou.",
            ),
            RestoreNoOrderCountry => t(
                "Order details are incomplete. Ask the provider's live chat to restore it.",
                "Данные заказа неполные. Обратитесь в чат поддержки для восстановления.",
                "Дані замовлення неповні. Зверніться в чат підтримки для відновлення.",
                "Les données de la commande sont incomplètes. Demandez la restauration au chat du fournisseur.",
                "Dados do pedido incompletos. Peça a restauração ao chat do provedor.",
            ),
            RestoreDateDiffInvert => t(
                "This rental has not expired yet, so it cannot be restored.",
                "Аренда ещё не истекла, восстановление невозможно.",
                "Оренда ще не завершилася, відновлення неможливе.",
                "Cette location n'a pas encore expiré et ne peut pas être restaurée.",
                "Este aluguel ainda não expirou e não pode ser restaurado.",
            ),
            RestoreNoServiceData => t(
                "Service details could not be loaded. Ask the provider's live chat to restore it.",
                "Не удалось загрузить данные сервиса. Обратитесь в чат поддержки.",
                "Не вдалося завантажити дані сервісу. Зверніться в чат підтримки.",
                "Impossible de charger le service. Demandez au chat du fournisseur.",
                "Não foi possível carregar o serviço. Fale com o chat do provedor.",
            ),
            RestoreNoBalance { detail } => {
                let base = t(
                    "Your balance is not enough to restore this rental",
                    "Недостаточно средств для восстановления аренды",
                    "Недостатньо коштів для відновлення оренди",
                    "Votre solde ne suffit pas pour restaurer cette location",
                    "Seu saldo não é suficiente para restaurar este aluguel",
                );
                if detail.is_empty() {
                    format!("{base}.")
                } else {
                    format!("{base} ({detail}).")
                }
            }
            ProviderMessage { msg } => format!(
                "{}: {msg}",
                t(
                    "The provider answered",
                    "Ответ провайдера",
                    "Відповідь провайдера",
                    "Réponse du fournisseur",
                    "Resposta do provedor"
                )
            ),
            UnknownCode { code } => format!(
                "{}: {code}",
                t(
                    "Unknown provider answer",
                    "Неизвестный ответ провайдера",
                    "Невідома відповідь провайдера",
                    "Réponse inconnue du fournisseur",
                    "Resposta desconhecida do provedor"
                )
            ),
            Http { status } => format!(
                "{} (HTTP {status}).",
                t(
                    "The provider's server returned an error",
                    "Сервер провайдера вернул ошибку",
                    "Сервер провайдера повернув помилку",
                    "Le serveur du fournisseur a renvoyé une erreur",
                    "O servidor do provedor retornou um erro"
                )
            ),
            HtmlPage { status } => format!(
                "{} (HTTP {status}).",
                t(
                    "The provider answered with a web page instead of data; it may be down or under maintenance",
                    "Провайдер вернул веб-страницу вместо данных; возможно, идут работы",
                    "Провайдер повернув вебсторінку замість даних; можливо, тривають роботи",
                    "Le fournisseur a renvoyé une page web au lieu de données ; il est peut-être en maintenance",
                    "O provedor retornou uma página web em vez de dados; pode estar em manutenção"
                )
            ),
            MalformedJson { .. } => t(
                "The provider sent a damaged answer.",
                "Провайдер прислал повреждённый ответ.",
                "Провайдер надіслав пошкоджену відповідь.",
                "Le fournisseur a envoyé une réponse illisible.",
                "O provedor enviou uma resposta corrompida.",
            ),
            Unexpected { snippet } => format!(
                "{}: {snippet}",
                t(
                    "Unexpected provider answer",
                    "Неожиданный ответ провайдера",
                    "Неочікувана відповідь провайдера",
                    "Réponse inattendue du fournisseur",
                    "Resposta inesperada do provedor"
                )
            ),
            Timeout => t(
                "The provider did not answer in time.",
                "Провайдер не ответил вовремя.",
                "Провайдер не відповів вчасно.",
                "Le fournisseur n'a pas répondu à temps.",
                "O provedor não respondeu a tempo.",
            ),
            Network { .. } => t(
                "Could not reach the provider. Check your connection.",
                "Не удалось связаться с провайдером. Проверьте соединение.",
                "Не вдалося з'єднатися з провайдером. Перевірте з'єднання.",
                "Impossible de joindre le fournisseur. Vérifiez votre connexion.",
                "Não foi possível contatar o provedor. Verifique sua conexão.",
            ),
            InvalidInput { detail } => format!(
                "{}: {detail}",
                t("Invalid input", "Некорректные данные", "Некоректні дані", "Données invalides", "Dados inválidos")
            ),
        }
    }
}

impl fmt::Display for ProviderError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code(), self.message(Lang::En))
    }
}

impl std::error::Error for ProviderError {}

/// The JSON shape the extension receives: `{code, message, outcome_unknown, closes_rental, rate_limited}`.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct ErrorInfo {
    pub code: String,
    pub message: String,
    /// The request's outcome is unknown (reconcile before acting again).
    #[serde(default)]
    pub outcome_unknown: bool,
    /// The provider says the rental is gone for this key: close it, stop polling it.
    #[serde(default)]
    pub closes_rental: bool,
    /// The provider asks to slow down: back off, not a failure of the account.
    #[serde(default)]
    pub rate_limited: bool,
}

impl ProviderError {
    /// The error as the extension receives it. The message is scrubbed of `api_key=` /
    /// `apikey=` values whatever produced it (use [`ProviderError::scrubbed`] for the key itself).
    pub fn info(&self, lang: Lang) -> ErrorInfo {
        ErrorInfo {
            code: self.code().to_string(),
            message: crate::http::scrub(&self.message(lang), ""),
            outcome_unknown: self.outcome_unknown(),
            closes_rental: self.closes_rental(),
            rate_limited: self.is_rate_limit(),
        }
    }

    /// The same error with `key` and any `api_key=`/`apikey=` value removed from every text it carries.
    pub fn scrubbed(self, key: &str) -> ProviderError {
        let s = |t: String| crate::http::scrub(&t, key);
        match self {
            Banned { until } => Banned { until: s(until) },
            WrongMaxPrice { min } => WrongMaxPrice { min: s(min) },
            RestoreNoBalance { detail } => RestoreNoBalance { detail: s(detail) },
            ProviderMessage { msg } => ProviderMessage { msg: s(msg) },
            UnknownCode { code } => UnknownCode { code: s(code) },
            MalformedJson { detail } => MalformedJson { detail: s(detail) },
            Unexpected { snippet } => Unexpected { snippet: s(snippet) },
            Network { detail } => Network { detail: s(detail) },
            InvalidInput { detail } => InvalidInput { detail: s(detail) },
            StatusWaitRetry { code } => StatusWaitRetry { code: s(code) },
            other => other,
        }
    }
}

impl ErrorInfo {
    /// The same info with `key` and any `api_key=`/`apikey=` value removed from its message
    /// (for errors made outside the client layer, e.g. by the fetch glue).
    pub fn scrubbed(mut self, key: &str) -> ErrorInfo {
        self.message = crate::http::scrub(&self.message, key);
        self.code = crate::http::scrub(&self.code, key);
        self
    }
}
