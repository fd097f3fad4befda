"""Cross-site scripting payloads, for server-side and browser checks of every staff-entered text.

Each payload calls ``alert(1337)`` (or loads ``//evil.example``) if it ever runs; a
browser test can hook ``window.alert`` and fail on ``MARKER``. ``PAYLOADS`` is meant
to be imported: ``from tests.xss_payloads import PAYLOADS, MARKER``.
"""

MARKER = "1337"

PAYLOADS = (
    "<script>alert(1337)</script>",
    '"><script>alert(1337)</script>',
    "'><script>alert(1337)</script>",
    "</script><script>alert(1337)</script>",
    "</title><script>alert(1337)</script>",
    "</textarea><script>alert(1337)</script>",
    '<img src=x onerror="alert(1337)">',
    "<img src=x onerror=alert(1337)//",
    "<svg onload=alert(1337)>",
    "<svg><script>alert(1337)</script></svg>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1337)>",
    '<a href="javascript:alert(1337)">click</a>',
    '<a href="JaVaScRiPt:alert(1337)">click</a>',
    '<a href="&#106;avascript:alert(1337)">click</a>',
    '<a href="data:text/html,<script>alert(1337)</script>">click</a>',
    '<p style="background:url(javascript:alert(1337))">styled</p>',
    '<iframe src="javascript:alert(1337)"></iframe>',
    '<iframe srcdoc="<script>alert(1337)</script>"></iframe>',
    '<object data="javascript:alert(1337)"></object>',
    '<embed src="javascript:alert(1337)">',
    '<form action="javascript:alert(1337)"><button>go</button></form>',
    '<input autofocus onfocus="alert(1337)">',
    '<details open ontoggle="alert(1337)">',
    '<body onload="alert(1337)">',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1337)">',
    '<base href="//evil.example/1337/">',
    '<link rel="stylesheet" href="//evil.example/1337.css">',
    "<style>@import '//evil.example/1337.css';</style>",
    '<div onmouseover="alert(1337)">hover</div>',
    "<scr<script>ipt>alert(1337)</scr</script>ipt>",
    "<<script>alert(1337)//<</script>",
    "<!--<script>alert(1337)</script>-->",
    "<![CDATA[<script>alert(1337)</script>]]>",
    '" onmouseover="alert(1337)" x="',
    "' onmouseover='alert(1337)' x='",
    "javascript:alert(1337)",
    "{{ 1337|add:1 }}{% debug %}",
    "\u2028\u2029<script>alert(1337)</script>",
    '<a href="https://example.org" onclick="alert(1337)">ok</a>',
    '<p>Сообщение <strong>1337</strong> <a href="https://example.org">ссылка</a></p>',
)
