    var target = '{{ target|js_string }}';
    {%- if shown == "window" %}
    if (window.opener && !window.opener.closed) {
        window.opener.location.href = target;
        window.close();
    } else {
        window.location.href = target;
    }
    {%- else %}
    window.top.location.href = target;
    {%- endif %}
