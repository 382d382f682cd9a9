"""Made-up scraped pages, in English, Russian and Korean, and how to import them.

Shaped like scraped ones: navigation above, a footer below, the title
repeated in the navigation, two headings with the same words, an epigraph,
quotations with attribution lines. Several test modules import them into a
copy of the project (tests/test_add_text.py checks the import itself).
"""

from __future__ import annotations

import shutil
from pathlib import Path

from support import ROOT, run_edition

# (source name, page, metadata): the id, language, where the text begins and ends.
PAGES = {
    "en": (
        "900_made_up_en.txt",
        """\
The Lessons of the Opposition
Home | Archive | Periodicals | Contact
Archive > 1930s > The Lessons of the Opposition
 
The Lessons of the Opposition
A Retrospective in Two Parts
“The tradition of all dead generations weighs like a nightmare on the brains of the living.”
— Karl Marx, The Eighteenth Brumaire of Louis Bonaparte
The NEP's retreat in 1921 gave the kulaks room to grow, and the Kuomintang in China later drew the Comintern into a fatal bloc.
Part One
Trotsky warned against a Thermidor in the party as early as 1923, when the officials began to govern in their own name.
"The apparatus has become the main brake on the development of the productive forces."
— Trotsky, a letter of 1936
Part One
The second part returns to the NEP and to the Kuomintang's betrayal of the Chinese workers in 1927.
© 2026 Workers' Archive. All rights reserved.
Back to top
""",
        """\
id: made-up-lessons
lang: en
title_en: The Lessons of the Opposition
publication: A made-up page for the tests
begins_with: |
  The Lessons of the Opposition
  A Retrospective in Two Parts
ends_with: The second part returns to the NEP and to the Kuomintang's betrayal of the Chinese workers in 1927.
subtitle: A Retrospective in Two Parts
""",
    ),
    "ru": (
        "901_made_up_ru.txt",
        """\
Бюллетень оппозиции (большевиков-ленинцев)
Главная | Номера | Авторы | Поиск
№ 17-18, ноябрь 1930
Уроки Рабочей Оппозиции
Заметки к истории
«Диктатура пролетариата есть упорная борьба».
— В. Ленин, «Детская болезнь „левизны“ в коммунизме»
Вопрос о «Рабочей Оппозиции» вновь встал в 1930 г., когда нэп был свернут.
I
Сторонники Рабочей Оппозиции требовали передать управление промышленностью союзам:
«Мы не хотим быть чиновниками».
— Шляпников, речь на съезде
I
Гоминьдан и нэп были для них лишь эпизодами той же борьбы.
Перепечатка разрешается со ссылкой на источник.
© Бюллетень оппозиции
""",
        """\
id: made-up-uroki
lang: ru
title_en: Lessons of the Workers' Opposition
publication: A made-up page for the tests
begins_with: Уроки Рабочей Оппозиции
ends_with: Гоминьдан и нэп были для них лишь эпизодами той же борьбы.
subtitle: Заметки к истории
""",
    ),
    "ko": (
        "902_made_up_ko.txt",
        """\
국제공산주의동맹 | 자료실
카메네프와 네프의 시대
홈 > 자료실 > 스파르타시스트
카메네프와 네프의 시대
"혁명은 관료의 손에서 질식당했다."
- 트로츠키, "어느 편지"
카메네프는 1925년에 네프를 옹호했지만 곧 반대파에 합류했다.
첫째 부분
레닌은 다음과 같이 말했다.
"우리는 관료주의를 감독하지 못하고 있다."
- 레닌, "어느 보고"
첫째 부분
국민당과의 동맹은 중국 혁명의 패배로 끝났다.
저작권 © 국제공산주의동맹
맨 위로
""",
        """\
id: made-up-kamenev
lang: ko
title_en: Kamenev and the Time of the NEP
publication: A made-up page for the tests
begins_with: |
  카메네프와 네프의 시대
  "혁명은 관료의 손에서 질식당했다."
ends_with: 국민당과의 동맹은 중국 혁명의 패배로 끝났다.
""",
    ),
}


def copy_project(tmp: Path) -> Path:
    """tmp/project: a copy of docs, conf, sources and annotations (what `edition import` touches)."""
    project = tmp / "project"
    for folder in ("docs", "conf", "sources", "annotations"):
        shutil.copytree(ROOT / folder, project / folder, ignore=shutil.ignore_patterns("__pycache__"))
    return project


def write_page(folder: Path, lang: str, meta: str | None = None) -> Path:
    name, raw, default_meta = PAGES[lang]
    source = folder / name
    source.write_text(raw, encoding="utf-8")
    source.with_name(source.stem + ".meta.yaml").write_text(meta or default_meta, encoding="utf-8")
    return source


def run_import(project: Path, *sources: Path, check: bool = False):
    """`edition import [--check] SOURCES…` in *project*, in this process."""
    return run_edition("import", *(["--check"] if check else []), *sources, cwd=project)
