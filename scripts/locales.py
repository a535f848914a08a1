"""Writes extension/_locales/*/messages.json from the table below (one row per message: en ru uk fr pt)."""
import json, os, sys
# an optional argument writes elsewhere (the lint gate compares a fresh copy with the tree)
OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "extension", "_locales")
M = {
"extName": ["OTP Dock","OTP Dock","OTP Dock","OTP Dock","OTP Dock"],
"extDescription": ["All your rented numbers and SMS codes in one popup, filled into the page for you.","Все арендованные номера и СМС-коды в одном окне — с автоподстановкой на страницу.","Усі орендовані номери й SMS-коди в одному вікні — з автозаповненням на сторінці.","Tous vos numéros loués et codes SMS dans une fenêtre, remplis pour vous dans la page.","Todos os seus números alugados e códigos SMS numa janela, preenchidos na página para você."],
"refresh": ["Refresh","Обновить","Оновити","Actualiser","Atualizar"],
"settings": ["Settings","Настройки","Налаштування","Paramètres","Configurações"],
"balance": ["Balance","Баланс","Баланс","Solde","Saldo"],
"loading": ["Loading…","Загрузка…","Завантаження…","Chargement…","Carregando…"],
"emptyTitle": ["No active rentals","Нет активных аренд","Немає активних оренд","Aucune location active","Nenhum aluguel ativo"],
"emptyHint": ["Rent a number below; its SMS will appear here.","Арендуйте номер ниже — его СМС появятся здесь.","Орендуйте номер нижче — його SMS з'являться тут.","Louez un numéro ci-dessous ; ses SMS apparaîtront ici.","Alugue um número abaixo; os SMS dele aparecerão aqui."],
"noAccounts": ["Add an API key in Settings to start.","Добавьте API-ключ в настройках, чтобы начать.","Додайте API-ключ у налаштуваннях, щоб почати.","Ajoutez une clé API dans les paramètres pour commencer.","Adicione uma chave de API nas configurações para começar."],
"openSettings": ["Open settings","Открыть настройки","Відкрити налаштування","Ouvrir les paramètres","Abrir configurações"],
"rentals": ["Rentals","Аренды","Оренди","Locations","Aluguéis"],
"stateWaiting": ["Waiting for SMS","Ожидание СМС","Очікування SMS","En attente de SMS","Aguardando SMS"],
"stateReceived": ["SMS received","СМС получено","SMS отримано","SMS reçu","SMS recebido"],
"stateNeedsActivation": ["Needs activation","Нужна активация","Потрібна активація","Activation requise","Precisa de ativação"],
"stateActivating": ["Activating…","Активация…","Активація…","Activation…","Ativando…"],
"stateWaitingRetry": ["Waiting for another SMS","Ожидание ещё одной СМС","Очікування ще одного SMS","En attente d'un autre SMS","Aguardando outro SMS"],
"stateFinished": ["Finished","Завершена","Завершена","Terminée","Encerrado"],
"stateCancelled": ["Cancelled","Отменена","Скасована","Annulée","Cancelado"],
"stateRevoked": ["Revoked","Отозван","Відкликано","Révoqué","Revogado"],
"stateExpired": ["Expired","Истекла","Закінчилася","Expirée","Expirado"],
"kindRent": ["Rent","Аренда","Оренда","Location","Aluguel"],
"kindActivation": ["Activation","Активация","Активація","Activation","Ativação"],
"copyNumber": ["Copy number","Копировать номер","Копіювати номер","Copier le numéro","Copiar número"],
"copyCode": ["Copy code","Копировать код","Копіювати код","Copier le code","Copiar código"],
"copy": ["Copy","Копировать","Копіювати","Copier","Copiar"],
"fill": ["Fill","Вставить","Вставити","Remplir","Preencher"],
"filterServices": ["Search services…","Поиск сервиса…","Пошук сервісу…","Rechercher un service…","Buscar serviço…"],
"showAll": ["Show all $1 SMS","Показать все СМС ($1)","Показати всі SMS ($1)","Afficher les $1 SMS","Mostrar todos os $1 SMS"],
"copied": ["Copied","Скопировано","Скопійовано","Copié","Copiado"],
"fillCode": ["Fill code","Вставить код","Вставити код","Remplir le code","Preencher código"],
"fillNumber": ["Fill number","Вставить номер","Вставити номер","Remplir le numéro","Preencher número"],
"filled": ["Filled $1 field(s)","Заполнено полей: $1","Заповнено полів: $1","$1 champ(s) rempli(s)","$1 campo(s) preenchido(s)"],
"expires": ["Expires","Истекает","Закінчується","Expire","Expira"],
"left": ["$1 left","осталось $1","залишилось $1","reste $1","restam $1"],
"activate": ["Activate","Активировать","Активувати","Activer","Ativar"],
"prolong": ["Prolong","Продлить","Продовжити","Prolonger","Prorrogar"],
"prolongMax": ["up to $1 more days","ещё до $1 дн.","ще до $1 дн.","jusqu'à $1 jours de plus","até mais $1 dias"],
"prolongLater": ["Prolong is possible when fewer than 7 days are left","Продление доступно, когда осталось меньше 7 дней","Продовження доступне, коли лишилося менше 7 днів","Prolongation possible à moins de 7 jours de l'échéance","Prorrogação possível com menos de 7 dias restantes"],
"finish": ["Finish","Завершить","Завершити","Terminer","Finalizar"],
"cancel": ["Cancel","Отменить","Скасувати","Annuler","Cancelar"],
"anotherSms": ["Another SMS","Ещё СМС","Ще SMS","Autre SMS","Outro SMS"],
"delete": ["Delete","Удалить","Видалити","Supprimer","Excluir"],
"addService": ["Add service","Добавить сервис","Додати сервіс","Ajouter un service","Adicionar serviço"],
"cancelIn": ["Cancel possible in $1 s","Отмена через $1 с","Скасування через $1 с","Annulation possible dans $1 s","Cancelamento em $1 s"],
"newRental": ["New rental","Новая аренда","Нова оренда","Nouvelle location","Novo aluguel"],
"account": ["Account","Аккаунт","Акаунт","Compte","Conta"],
"type": ["Type","Тип","Тип","Type","Tipo"],
"service": ["Service","Сервис","Сервіс","Service","Serviço"],
"country": ["Country","Страна","Країна","Pays","País"],
"operator": ["Operator","Оператор","Оператор","Opérateur","Operadora"],
"duration": ["Duration","Срок","Термін","Durée","Duração"],
"price": ["Price","Цена","Ціна","Prix","Preço"],
"available": ["Available","В наличии","Доступно","Disponibles","Disponíveis"],
"rent": ["Rent","Арендовать","Орендувати","Louer","Alugar"],
"confirmRent": ["Rent $1 in $2 for $3?","Арендовать $1 ($2) за $3?","Орендувати $1 ($2) за $3?","Louer $1 ($2) pour $3 ?","Alugar $1 ($2) por $3?"],
"hours": ["$1 h","$1 ч","$1 год","$1 h","$1 h"],
"weeks": ["$1 week(s)","$1 нед.","$1 тиж.","$1 semaine(s)","$1 semana(s)"],
"months": ["$1 month(s)","$1 мес.","$1 міс.","$1 mois","$1 mês(es)"],
"archive": ["Archive","Архив","Архів","Archive","Arquivo"],
"restore": ["Restore","Восстановить","Відновити","Restaurer","Restaurar"],
"restoreQuote": ["Restore $1 for $2? ($3 days overdue)","Восстановить $1 за $2? (просрочено дней: $3)","Відновити $1 за $2? (прострочено днів: $3)","Restaurer $1 pour $2 ? ($3 jours de retard)","Restaurar $1 por $2? ($3 dias de atraso)"],
"noArchive": ["No archived rentals","Архив пуст","Архів порожній","Aucune location archivée","Nenhum aluguel arquivado"],
"noSms": ["No SMS yet","СМС пока нет","SMS поки немає","Pas encore de SMS","Nenhum SMS ainda"],
"code": ["Code","Код","Код","Code","Código"],
"confirm": ["Confirm","Подтвердить","Підтвердити","Confirmer","Confirmar"],
"optionsTitle": ["OTP Dock settings","Настройки OTP Dock","Налаштування OTP Dock","Paramètres d'OTP Dock","Configurações do OTP Dock"],
"accounts": ["Provider accounts","Аккаунты провайдеров","Акаунти провайдерів","Comptes fournisseurs","Contas de provedores"],
"provider": ["Provider","Провайдер","Провайдер","Fournisseur","Provedor"],
"apiKey": ["API key","API-ключ","API-ключ","Clé API","Chave da API"],
"baseUrl": ["API URL (optional)","URL API (необязательно)","URL API (необов'язково)","URL de l'API (facultatif)","URL da API (opcional)"],
"addAccount": ["Add account","Добавить аккаунт","Додати акаунт","Ajouter un compte","Adicionar conta"],
"save": ["Save and check","Сохранить и проверить","Зберегти й перевірити","Enregistrer et vérifier","Salvar e verificar"],
"remove": ["Remove","Удалить","Видалити","Supprimer","Remover"],
"checking": ["Checking…","Проверка…","Перевірка…","Vérification…","Verificando…"],
"keyOk": ["Key works. Balance: $1","Ключ работает. Баланс: $1","Ключ працює. Баланс: $1","La clé fonctionne. Solde : $1","A chave funciona. Saldo: $1"],
"keyOkOrders": ["Key works. Open rentals: $1","Ключ работает. Активных аренд: $1","Ключ працює. Активних оренд: $1","La clé fonctionne. Locations ouvertes : $1","A chave funciona. Aluguéis abertos: $1"],
"behaviour": ["Behaviour","Поведение","Поведінка","Comportement","Comportamento"],
"autoFill": ["Fill a new code automatically into the tab where I filled its number","Автоматически вставлять новый код во вкладку, куда я вставил номер","Автоматично вставляти новий код у вкладку, куди я вставив номер","Remplir automatiquement un nouveau code dans l'onglet où j'ai rempli son numéro","Preencher automaticamente um novo código na aba onde preenchi o número"],
"notify": ["Show a notification for each new SMS","Показывать уведомление о каждой новой СМС","Показувати сповіщення про кожне нове SMS","Afficher une notification pour chaque nouveau SMS","Mostrar uma notificação para cada novo SMS"],
"allSites": ["Allow filling on every site without opening the popup first","Разрешить вставку на любых сайтах без открытия окна расширения","Дозволити вставлення на будь-яких сайтах без відкриття вікна розширення","Autoriser le remplissage sur tous les sites sans ouvrir la fenêtre","Permitir preencher em qualquer site sem abrir a janela"],
"pollFast": ["Check every 3 seconds while a code is awaited (otherwise every 30 seconds)","Проверять каждые 3 секунды, пока ожидается код (иначе каждые 30 секунд)","Перевіряти кожні 3 секунди, поки очікується код (інакше кожні 30 секунд)","Vérifier toutes les 3 secondes pendant l'attente d'un code (sinon toutes les 30 secondes)","Verificar a cada 3 segundos enquanto um código é aguardado (senão a cada 30 segundos)"],
"saved": ["Saved","Сохранено","Збережено","Enregistré","Salvo"],
"errNoField": ["No code field was found on this page.","На странице не найдено поле для кода.","На сторінці не знайдено поле для коду.","Aucun champ de code trouvé sur cette page.","Nenhum campo de código encontrado nesta página."],
"errNoPhoneField": ["No phone number field was found on this page.","На странице не найдено поле для номера.","На сторінці не знайдено поле для номера.","Aucun champ de numéro trouvé sur cette page.","Nenhum campo de telefone encontrado nesta página."],
"errNoTab": ["That tab no longer exists.","Вкладка больше не существует.","Вкладка більше не існує.","Cet onglet n'existe plus.","Essa aba não existe mais."],
"errNoAccess": ["OTP Dock cannot access this page. Use the popup on it, or allow every site in Settings.","У OTP Dock нет доступа к странице. Откройте окно расширения на ней или разрешите все сайты в настройках.","OTP Dock не має доступу до сторінки. Відкрийте вікно розширення на ній або дозвольте всі сайти в налаштуваннях.","OTP Dock ne peut pas accéder à cette page. Utilisez la fenêtre sur la page ou autorisez tous les sites dans les paramètres.","O OTP Dock não pode acessar esta página. Use a janela nela ou permita todos os sites nas configurações."],
"errHostMismatch": ["This code was sent for $1 only; open that site to fill it.","Этот код отправлен только для $1 — откройте этот сайт, чтобы вставить его.","Цей код надіслано лише для $1 — відкрийте цей сайт, щоб вставити його.","Ce code n'a été envoyé que pour $1 ; ouvrez ce site pour le remplir.","Este código foi enviado só para $1; abra esse site para preenchê-lo."],
"errBadRequest": ["Invalid request.","Некорректный запрос.","Некоректний запит.","Requête invalide.","Solicitação inválida."],
"errBusy": ["This request is already running.","Этот запрос уже выполняется.","Цей запит уже виконується.","Cette requête est déjà en cours.","Esta solicitação já está em andamento."],
"errNotChargedRetry": ["The provider did not answer. Your orders show no new rental, so nothing was bought; you can try again.","Провайдер не ответил. В заказах нет новой аренды — ничего не куплено, можно повторить.","Провайдер не відповів. У замовленнях немає нової оренди — нічого не куплено, можна повторити.","Le fournisseur n'a pas répondu. Aucune nouvelle location dans vos commandes : rien n'a été acheté, vous pouvez réessayer.","O provedor não respondeu. Não há novo aluguel nos seus pedidos: nada foi comprado; pode tentar de novo."],
"errOutcomeUnknown": ["The provider did not answer and your orders could not be checked. Refresh before trying again, so you are not charged twice.","Провайдер не ответил, проверить заказы не удалось. Обновите список перед повтором, чтобы не заплатить дважды.","Провайдер не відповів, перевірити замовлення не вдалося. Оновіть список перед повтором, щоб не заплатити двічі.","Le fournisseur n'a pas répondu et vos commandes n'ont pas pu être vérifiées. Actualisez avant de réessayer pour ne pas payer deux fois.","O provedor não respondeu e seus pedidos não puderam ser verificados. Atualize antes de tentar de novo para não pagar duas vezes."],
"reconciled": ["The answer was lost, but the rental was found in your orders.","Ответ потерялся, но аренда найдена в ваших заказах.","Відповідь загубилася, але оренду знайдено у ваших замовленнях.","La réponse s'est perdue, mais la location figure dans vos commandes.","A resposta se perdeu, mas o aluguel foi encontrado nos seus pedidos."],
"newSms": ["$1: new SMS","$1: новая СМС","$1: нове SMS","$1 : nouveau SMS","$1: novo SMS"],
"codeIs": ["Code $1","Код $1","Код $1","Code $1","Código $1"],
"close": ["Close","Закрыть","Закрити","Fermer","Fechar"],
"updated": ["Updated $1","Обновлено $1","Оновлено $1","Mis à jour $1","Atualizado $1"],
"activations": ["one-off","разовая","разова","ponctuelle","avulsa"],
}
langs = ["en","ru","uk","fr","pt"]
for i, l in enumerate(langs):
    out = {}
    for k, v in M.items():
        msg = v[i]
        e = {"message": msg}
        ph = {}
        for n in range(1, 4):
            if f"${n}" in msg:
                ph[f"p{n}"] = {"content": f"${n}"}
        if ph:
            e["message"] = msg
            for n in range(1,4):
                e["message"] = e["message"].replace(f"${n}", f"$P{n}$")
            e["placeholders"] = ph
        out[k] = e
    os.makedirs(os.path.join(OUT, l), exist_ok=True)
    json.dump(out, open(os.path.join(OUT, l, "messages.json"), "w"), ensure_ascii=False, indent=1)
print(f"{len(M)} messages x {len(langs)} languages")
