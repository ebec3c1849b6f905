from motcua_shared.web.blueprint import Blueprint

blp = Blueprint("dossier_messages", __name__, url_prefix="/api/v1/dossiers",
                description="Tin nhắn gửi công dân theo từng hồ sơ, và kênh công dân chọn nhận.")

from . import get_messages, put_channels  # noqa: E402,F401  (registers the routes on blp)
