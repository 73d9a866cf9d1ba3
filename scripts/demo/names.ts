/**
 * Word lists for the demo data set: Russian and English people, company
 * names, positions and activity texts. Plain data.
 */

export const RU_MALE = {
  last: ['Иванов', 'Смирнов', 'Кузнецов', 'Попов', 'Васильев', 'Петров', 'Соколов', 'Михайлов', 'Новиков', 'Фёдоров', 'Морозов', 'Волков', 'Алексеев', 'Лебедев', 'Семёнов', 'Егоров', 'Павлов', 'Козлов', 'Степанов', 'Николаев', 'Орлов', 'Андреев', 'Макаров', 'Никитин', 'Захаров'],
  first: ['Александр', 'Дмитрий', 'Максим', 'Сергей', 'Андрей', 'Алексей', 'Артём', 'Илья', 'Кирилл', 'Михаил', 'Никита', 'Иван', 'Егор', 'Павел', 'Роман', 'Владимир', 'Олег', 'Юрий'],
  patronymic: ['Александрович', 'Дмитриевич', 'Сергеевич', 'Андреевич', 'Алексеевич', 'Михайлович', 'Иванович', 'Владимирович', 'Николаевич', 'Петрович', 'Юрьевич', 'Олегович'],
};

export const RU_FEMALE = {
  last: RU_MALE.last.map((name) => `${name}а`),
  first: ['Анна', 'Мария', 'Елена', 'Ольга', 'Наталья', 'Татьяна', 'Ирина', 'Екатерина', 'Светлана', 'Юлия', 'Анастасия', 'Дарья', 'Ксения', 'Виктория', 'Полина', 'Алина'],
  patronymic: ['Александровна', 'Дмитриевна', 'Сергеевна', 'Андреевна', 'Алексеевна', 'Михайловна', 'Ивановна', 'Владимировна', 'Николаевна', 'Петровна', 'Юрьевна', 'Олеговна'],
};

export const EN_PEOPLE = {
  last: ['Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Miller', 'Davis', 'Wilson', 'Taylor', 'Clark', 'Lewis', 'Walker', 'Hall', 'Young', 'King', 'Wright', 'Green', 'Baker', 'Turner', 'Parker'],
  male: ['James', 'John', 'Robert', 'Michael', 'David', 'Richard', 'Thomas', 'Daniel', 'Mark', 'Paul', 'Steven', 'Andrew'],
  female: ['Mary', 'Patricia', 'Jennifer', 'Linda', 'Elizabeth', 'Susan', 'Jessica', 'Sarah', 'Karen', 'Emily', 'Laura', 'Emma'],
};

/** Russian company names: a stem and a branch word make "СеверСтрой", "ВекторЛогистик" … */
export const RU_COMPANY = {
  stems: ['Север', 'Вектор', 'Альфа', 'Гранит', 'Прогресс', 'Техно', 'Сибирь', 'Волга', 'Восток', 'Урал', 'Балтика', 'Меридиан', 'Стандарт', 'Созвездие', 'Импульс', 'Ладога', 'Орион', 'Кристалл', 'Рубин', 'Феникс'],
  branches: ['Строй', 'Торг', 'Пром', 'Логистик', 'Софт', 'Инвест', 'Мед', 'Агро', 'Энерго', 'Сервис'],
  forms: ['ООО', 'АО', 'ПАО', 'ООО', 'ООО'],
};

export const EN_COMPANY = {
  stems: ['Northwind', 'Blue Harbor', 'Silverline', 'Greenfield', 'Redwood', 'Summit', 'Brightway', 'Ironclad', 'Oakridge', 'Clearwater', 'Stonegate', 'Westbrook'],
  branches: ['Trading', 'Logistics', 'Software', 'Capital', 'Foods', 'Systems', 'Engineering', 'Consulting'],
  forms: ['Ltd', 'LLC', 'Inc', 'GmbH', 'plc'],
};

export const RU_TRANSLIT: Record<string, string> = {
  а: 'a', б: 'b', в: 'v', г: 'g', д: 'd', е: 'e', ё: 'e', ж: 'zh', з: 'z', и: 'i', й: 'y', к: 'k', л: 'l', м: 'm', н: 'n', о: 'o', п: 'p', р: 'r', с: 's', т: 't', у: 'u', ф: 'f', х: 'kh', ц: 'ts', ч: 'ch', ш: 'sh', щ: 'sch', ъ: '', ы: 'y', ь: '', э: 'e', ю: 'yu', я: 'ya',
};

export const POSITIONS_RU = ['Генеральный директор', 'Финансовый директор', 'Главный бухгалтер', 'Начальник отдела закупок', 'Менеджер по закупкам', 'Коммерческий директор', 'Руководитель ИТ', 'Юрист', 'Инженер', 'Офис-менеджер'];
export const POSITIONS_EN = ['CEO', 'CFO', 'Head of Procurement', 'Buyer', 'Sales Director', 'IT Manager', 'Legal Counsel', 'Engineer', 'Office Manager', 'Operations Manager'];
export const DEPARTMENTS_RU = ['Дирекция', 'Бухгалтерия', 'Отдел закупок', 'Коммерческий отдел', 'ИТ-отдел', 'Юридический отдел'];
export const DEPARTMENTS_EN = ['Management', 'Finance', 'Procurement', 'Sales', 'IT', 'Legal'];

export const SUBJECTS: Record<string, string[]> = {
  call: ['Уточнить потребность', 'Обсудить коммерческое предложение', 'Follow-up on the proposal', 'Согласовать сроки поставки', 'Check payment status', 'Напомнить о продлении договора'],
  meeting: ['Презентация продукта', 'Встреча с руководством', 'Quarterly business review', 'Переговоры по договору', 'Demo at the customer site'],
  email: ['Отправить прайс-лист', 'Send the contract draft', 'Ответ на запрос', 'Send meeting notes'],
  letter: ['Гарантийное письмо', 'Официальное письмо о ценах', 'Formal notice of price change'],
  task: ['Подготовить КП', 'Prepare the quote', 'Выставить счёт', 'Проверить контрагента'],
  note: ['Заметка по клиенту', 'Customer feedback', 'Изменился контакт'],
};

export const RESULTS = ['Клиент заинтересован, ждёт КП', 'Договорились о встрече', 'Not interested this quarter', 'Просили перезвонить через неделю', 'Agreed on the next steps', 'Передано юристам на согласование', 'Budget approved', 'Нет ответа'];
